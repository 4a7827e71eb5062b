// Polaris pullPolicyNotAlways, kube-score container-image-pull-policy, checkov CKV_K8S_15: a
// node re-checks the registry (and the pod's pull credentials) before every start. Opt-in: the
// cluster-level answer is the AlwaysPullImages admission plugin (CIS 1.2.11,
// apiserver-always-pull-images), which sets it on every pod of every tenant.

import { EVERY_CONTAINER, coveredContainers } from '../covered-containers.js';
import type { PodCheck, Violation } from '../types.js';
import { parseImageReference } from './image-reference.js';

/** The policy the API server defaults an unset imagePullPolicy to: Always for :latest or no tag (without digest), else IfNotPresent. */
export function effectivePullPolicy(image: unknown, policy: unknown): string | undefined {
  if (typeof policy === 'string' && policy !== '') return policy;
  if (typeof image !== 'string') return undefined;
  const ref = parseImageReference(image);
  if ('invalid' in ref) return undefined;
  return !ref.digest && (ref.tag === undefined || ref.tag === 'latest') ? 'Always' : 'IfNotPresent';
}

export const containerImagePullPolicyAlways: PodCheck = {
  id: 'container-image-pull-policy-always',
  title: 'Containers pull their image on every start (imagePullPolicy: Always, opt-in)',
  severity: 'low',
  category: 'workload',
  controls: ['cis:1.2.11'],
  rationale:
    'With IfNotPresent a node starts any image already in its cache, even for a pod whose pull secret would not be allowed ' +
    'to fetch it: on shared nodes one tenant can run another\'s private image. Always makes the node ask the registry, ' +
    'with the pod\'s credentials, each time.',
  remediation:
    'Set imagePullPolicy: Always on each container, or enable the AlwaysPullImages admission plugin, which does it for every pod.',
  appliesTo: 'the effective imagePullPolicy of every container of pod specs (the API server\'s default when unset)',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  optIn: true,
  examples: { pass: 'image: registry.example/app:1.2.3\nimagePullPolicy: Always', fail: 'image: registry.example/app:1.2.3   # defaults to IfNotPresent' },
  evaluate(pod) {
    const out: Violation[] = [];
    for (const c of coveredContainers(pod, containerImagePullPolicyAlways)) {
      const policy = effectivePullPolicy(c.container.image, c.container.imagePullPolicy);
      if (policy === undefined || policy === 'Always') continue;
      const set = typeof c.container.imagePullPolicy === 'string';
      out.push({
        path: [...c.path, 'imagePullPolicy'],
        message: set ? `container "${c.name}" has imagePullPolicy ${policy}` : `container "${c.name}" does not set imagePullPolicy, which defaults to ${policy} for its image`,
      });
    }
    return out;
  },
};
