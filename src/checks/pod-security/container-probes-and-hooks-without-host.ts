import { PSA_CONTAINERS } from '../covered-containers.js';
import { PSS_SINCE, isAtLeast } from '../../analysis/pod/pss-version.js';
import { getPath, type PathSegment } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck, Violation } from '../types.js';
import { policyVersion, show } from './support.js';
import { containerName, removeFieldFix } from '../../analysis/pod/containers.js';

/** Handlers (relative to the container) that can name a host. */
const HANDLERS: string[][] = [
  ['livenessProbe'], ['readinessProbe'], ['startupProbe'],
  ['lifecycle', 'postStart'], ['lifecycle', 'preStop'],
];
const HOST_ACTIONS = ['httpGet', 'tcpSocket'];

export const containerProbesAndHooksWithoutHost: PodCheck = {
  id: 'container-probes-and-hooks-without-host',
  title: 'Probes and lifecycle hooks do not target another host',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:baseline/hostProbesAndHostLifecycle'],
  pss: { level: 'baseline', check: 'hostProbesAndHostLifecycle' },
  rationale:
    'The kubelet runs httpGet and tcpSocket probes and hooks from the node. A host field makes it connect to any ' +
    'address the node can reach — a way to probe or hit internal services with the node\'s network position.',
  remediation: 'Remove the host field from httpGet and tcpSocket probes and lifecycle hooks so they target the pod itself.',
  appliesTo: 'probes and lifecycle hooks of containers (policy v1.34 and later)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'livenessProbe:\n  httpGet:\n    port: 8080\n    path: /healthz',
    fail: 'livenessProbe:\n  httpGet:\n    host: 169.254.169.254\n    port: 80',
  },
  evaluate(pod, ctx) {
    if (!isAtLeast(policyVersion(ctx), PSS_SINCE.hostProbesAndHostLifecycle)) return [];
    const violations: Violation[] = [];
    for (const ref of containersOf(pod)) {
      for (const handler of HANDLERS) {
        for (const action of HOST_ACTIONS) {
          const relative: PathSegment[] = [...handler, action, 'host'];
          const host = getPath(ref.container, relative);
          if (host === undefined || host === null || host === '') continue;
          const path = [...ref.path, ...relative];
          violations.push({
            path,
            message: `${containerName(ref)} ${handler.join('.')}.${action} targets host ${show(host)}; remove host so it targets the pod`,
            fix: [removeFieldFix(path)],
          });
        }
      }
    }
    return violations;
  },
};
