import { PSA_CONTAINERS } from '../covered-containers.js';
import { isMapping } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck, Violation } from '../types.js';
import { show } from './support.js';
import { containerName, removeFieldFix } from '../../analysis/pod/containers.js';

export const containerNoHostPorts: PodCheck = {
  id: 'container-no-host-ports',
  title: 'Containers do not bind host ports',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:baseline/hostPorts', 'cis:5.2.12', 'nsa:P8'],
  pss: { level: 'baseline', check: 'hostPorts' },
  rationale:
    'A hostPort opens a port on the node\'s own address, bypassing Services and most NetworkPolicy ' +
    'implementations, and ties the pod to the nodes where the port is free.',
  remediation: 'Remove hostPort from container ports (or set it to 0) and expose the port through a Service.',
  appliesTo: 'container ports of pod specs (init, regular and ephemeral)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'ports:\n- containerPort: 8080',
    fail: 'ports:\n- containerPort: 8080\n  hostPort: 8080',
  },
  evaluate(pod) {
    const violations: Violation[] = [];
    for (const ref of containersOf(pod)) {
      const ports = Array.isArray(ref.container.ports) ? ref.container.ports : [];
      ports.forEach((port, i) => {
        if (!isMapping(port)) return;
        const hostPort = port.hostPort;
        if (hostPort === undefined || hostPort === null || hostPort === 0) return;
        const path = [...ref.path, 'ports', i, 'hostPort'];
        violations.push({
          path,
          message: `${containerName(ref)} binds hostPort ${show(hostPort)}; remove hostPort and expose the port through a Service`,
          fix: [removeFieldFix(path)],
        });
      });
    }
    return violations;
  },
};
