// A Service exposing port 22 (kube-linter ssh-port looks at containers; a Service is what makes
// it reachable).

import { isMapping } from '../../inventory/model.js';
import type { ObjectCheck, Violation } from '../types.js';

export const serviceNoSshPort: ObjectCheck = {
  id: 'service-no-ssh-port',
  title: 'Services do not expose SSH (port 22)',
  severity: 'medium',
  category: 'network',
  controls: ['nsa:A8'],
  rationale:
    'A Service on port 22 makes an SSH server in a pod reachable: access that no RBAC rule decides and no API audit ' +
    'event records.',
  remediation: 'Remove the port; use kubectl exec or kubectl debug. For a real SSH service (a Git server), keep it and note an exception.',
  appliesTo: 'ports of Services (port and targetPort, TCP)',
  scope: 'object',
  kinds: ['Service'],
  examples: { pass: 'ports:\n- port: 443\n  targetPort: 8443', fail: 'ports:\n- port: 22' },
  evaluate(obj) {
    const spec = obj.raw.spec;
    if (!isMapping(spec) || !Array.isArray(spec.ports) || spec.type === 'ExternalName') return [];
    const out: Violation[] = [];
    spec.ports.forEach((p, i) => {
      if (!isMapping(p) || (p.protocol !== undefined && p.protocol !== 'TCP')) return;
      // targetPort defaults to port; a named targetPort ("ssh") names a container port elsewhere.
      const target = p.targetPort ?? p.port;
      if (p.port === 22 || target === 22 || target === 'ssh') {
        out.push({ path: ['spec', 'ports', i], message: `port ${String(p.port)} → ${String(target)} exposes SSH` });
      }
    });
    return out;
  },
};
