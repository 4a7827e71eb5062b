// Port 22 declared by a container (kube-linter ssh-port): SSH inside a pod is a way around
// kubectl exec's authorization and audit, and a long-lived credential to steal.

import { isMapping } from '../../inventory/model.js';
import { EVERY_CONTAINER, coveredContainers } from '../covered-containers.js';
import type { PodCheck, Violation } from '../types.js';

export const containerNoSshPort: PodCheck = {
  id: 'container-no-ssh-port',
  title: 'Containers do not expose SSH (port 22)',
  severity: 'medium',
  category: 'workload',
  controls: ['nsa:A8'],
  rationale:
    'An SSH server in a container is access that bypasses the API server: no RBAC decision, no audit event, and keys or ' +
    'passwords that live as long as the image. kubectl exec and debug containers give the same access under control.',
  remediation: 'Remove the SSH server and port 22; use kubectl exec or kubectl debug. If the workload truly is an SSH service (a Git server), keep it and note an exception.',
  appliesTo: 'containerPort and hostPort of every container of pod specs',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  examples: { pass: 'ports:\n- containerPort: 8080', fail: 'ports:\n- containerPort: 22' },
  evaluate(pod) {
    const out: Violation[] = [];
    for (const c of coveredContainers(pod, containerNoSshPort)) {
      if (!Array.isArray(c.container.ports)) continue;
      c.container.ports.forEach((p, i) => {
        if (!isMapping(p) || (p.protocol !== undefined && p.protocol !== 'TCP')) return;
        for (const field of ['containerPort', 'hostPort'] as const) {
          if (p[field] === 22) out.push({ path: [...c.path, 'ports', i, field], message: `container "${c.name}" exposes port 22 (SSH) as ${field}` });
        }
      });
    }
    return out;
  },
};
