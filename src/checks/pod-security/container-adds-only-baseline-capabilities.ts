import { PSA_CONTAINERS } from '../covered-containers.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck, Violation } from '../types.js';
import { show } from './support.js';
import { capabilityList, containerName } from '../../analysis/pod/containers.js';

/** Capabilities baseline lets a container add (exact, case-sensitive names, as the API stores them). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const containerAddsOnlyBaselineCapabilities: PodCheck = {
  id: 'container-adds-only-baseline-capabilities',
  title: 'Containers add no capabilities beyond the default set',
  severity: 'high',
  category: 'pod-security',
  controls: ['pss:baseline/capabilities_baseline', 'nsa:P10'],
  pss: { level: 'baseline', check: 'capabilities_baseline', overriddenBy: 'capabilities_restricted' },
  rationale:
    'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or NET_RAW give a container kernel powers that make ' +
    'escaping to the node or attacking the network far easier. Baseline allows only the capabilities container ' +
    'runtimes grant by default.',
  remediation:
    'Remove from securityContext.capabilities.add every capability other than AUDIT_WRITE, CHOWN, DAC_OVERRIDE, ' +
    'FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT (names are ' +
    'upper case, without the CAP_ prefix).',
  appliesTo: 'containers of pod specs (init, regular and ephemeral)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  capabilities:\n    add: [NET_BIND_SERVICE]',
    fail: 'securityContext:\n  capabilities:\n    add: [SYS_ADMIN]',
  },
  evaluate(pod) {
    const violations: Violation[] = [];
    for (const ref of containersOf(pod)) {
      const add = capabilityList(ref, 'add');
      add.entries.forEach((cap, i) => {
        if (typeof cap === 'string' && BASELINE_CAPABILITIES.has(cap)) return;
        violations.push({
          path: [...add.path, i],
          message: `${containerName(ref)} adds capability ${show(cap)}, which baseline does not allow; remove it from securityContext.capabilities.add`,
        });
      });
    }
    return violations;
  },
};
