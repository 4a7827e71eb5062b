import { describeObject, jsonPointer, type InventoryObject, type PodTarget } from '../../inventory/model.js';
import type { PodCheck, Violation } from '../types.js';
import { isMirrorPod, podServiceAccount } from '../../analysis/pod/service-account.js';

export const podServiceAccountTokenNotAutomounted: PodCheck = {
  id: 'pod-service-account-token-not-automounted',
  title: 'Pods do not mount a ServiceAccount token unless they need one',
  severity: 'medium',
  category: 'workload',
  controls: ['cis:5.1.6', 'nsa:P13'],
  rationale:
    'Kubernetes mounts a token for the pod\'s ServiceAccount into every container unless told not to. ' +
    'Anyone who gets code execution in the container can read it and call the API server with the ' +
    'ServiceAccount\'s permissions. Most applications never call the API. The effective setting is the ' +
    'pod\'s automountServiceAccountToken when it is set, else its ServiceAccount\'s; unset on both means ' +
    'the token is mounted. When the pod does not decide and its ServiceAccount is not part of the input, ' +
    'the finding says so: the token is mounted unless that ServiceAccount disables it. Pods whose operator ' +
    'runs them under a ServiceAccount of its own because a container it adds calls the API (KubeRay\'s ' +
    'autoscaler sidecar, the MPI launcher of the training operator) need the token and are not reported; ' +
    'nor are mirror pods (static pods as the API shows them, annotation kubernetes.io/config.mirror), which ' +
    'the API server never gives a ServiceAccount or a token.',
  remediation:
    'Set spec.automountServiceAccountToken: false on pods that do not call the Kubernetes API (or on their ' +
    'ServiceAccount). Pods that need the API should keep the token and get a dedicated, least-privilege ' +
    'ServiceAccount.',
  appliesTo: 'pod specs (Pods and every workload template) and their ServiceAccounts',
  scope: 'pod',
  examples: {
    pass: 'spec:\n  serviceAccountName: web\n  automountServiceAccountToken: false\n  containers:\n  - {name: app, image: registry.example/app:1.2.3}',
    fail: 'spec:\n  serviceAccountName: web\n  containers:\n  - {name: app, image: registry.example/app:1.2.3}',
  },
  evaluate(pod, ctx) {
    if (isMirrorPod(pod)) return [];
    const podValue = pod.spec.automountServiceAccountToken;
    if (podValue === false) return [];
    const sa = podServiceAccount(pod);
    // The operator's own container in the pod calls the API with this token.
    if (sa.from === 'operator') return [];
    if (podValue === true) {
      return [violation(pod, 'sets automountServiceAccountToken: true, so the ServiceAccount token is mounted; set it to false unless the pod calls the API', 'replace')];
    }
    // A pod's namespace is its object's namespace; an object without one matches a ServiceAccount without one.
    const account = ctx.inventory.find('ServiceAccount', pod.object.namespace, sa.name);
    if (!account) {
      return [
        violation(
          pod,
          `does not set automountServiceAccountToken and its ServiceAccount "${sa.name}" is not in the input; ` +
            'the token is mounted unless that ServiceAccount sets automountServiceAccountToken: false — set it on the pod to be sure',
        ),
      ];
    }
    const accountValue = account.raw.automountServiceAccountToken;
    if (accountValue === false) return [];
    return [violation(pod, `does not set automountServiceAccountToken and ${describeAccount(account, accountValue)}, so the token is mounted; set it to false`)];
  },
};

function violation(pod: PodTarget, what: string, op: 'add' | 'replace' = 'add'): Violation {
  const path = [...pod.specPath, 'automountServiceAccountToken'];
  return { path, message: `pod ${what}`, fix: [{ op, path: jsonPointer(path), value: false }] };
}

function describeAccount(account: InventoryObject, value: unknown): string {
  const name = describeObject(account);
  if (value === true) return `${name} sets automountServiceAccountToken: true`;
  if (value === undefined || value === null) return `${name} does not set it either`;
  return `${name} sets it to a non-boolean value, which the API server rejects`;
}
