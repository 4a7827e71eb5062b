import { EVERY_CONTAINER } from '../covered-containers.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck, Violation } from '../types.js';
import { isWindowsPod } from '../../analysis/pod/security-context.js';
import { capabilityEntries, runtimeCapabilityName } from '../../analysis/pod/containers.js';

/** kubescape's default insecure capabilities (C-0046), as the NSA/CISA checklist P10 lists them. */
const DANGEROUS_CAPABILITIES = new Set([
  'SETPCAP', 'NET_ADMIN', 'NET_RAW', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_PTRACE', 'SYS_ADMIN',
  'SYS_BOOT', 'MAC_OVERRIDE', 'MAC_ADMIN', 'PERFMON', 'ALL', 'BPF',
]);

export const containerNoDangerousCapabilities: PodCheck = {
  id: 'container-no-dangerous-capabilities',
  title: 'Containers add no dangerous capabilities',
  severity: 'high',
  category: 'workload',
  controls: ['nsa:P10'],
  subsumedAtRestrictedBy: 'container-drops-all-capabilities',
  rationale:
    'Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN or BPF give a container powers ' +
    'close to root on the node: loading kernel modules, tracing other processes, reconfiguring the ' +
    'network, mounting filesystems. The NSA/CISA guidance asks that none be added. Kubernetes compares ' +
    'capability names exactly (SYS_ADMIN, no CAP_ prefix); containerd upper-cases a name and adds CAP_, ' +
    'so a lower-case spelling is still granted and is reported too, and a CAP_-prefixed spelling is ' +
    'reported as suspicious because whether it is granted depends on the runtime.',
  remediation:
    'Remove the capability from securityContext.capabilities.add; drop ALL and add back only the specific, ' +
    'harmless capabilities the process needs (for example NET_BIND_SERVICE).',
  appliesTo: 'containers of Linux pod specs (Pods and every workload template)',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  capabilities:\n    drop: [ALL]\n    add: [NET_BIND_SERVICE]',
    fail: 'securityContext:\n  capabilities:\n    add: [SYS_ADMIN]',
  },
  evaluate(pod) {
    if (isWindowsPod(pod)) return [];
    const violations: Violation[] = [];
    for (const c of containersOf(pod)) {
      for (const { name, index } of capabilityEntries(c, 'add')) {
        const message = describeAdded(c.name, name);
        if (message) violations.push({ path: [...c.path, 'securityContext', 'capabilities', 'add', index], message });
      }
    }
    return violations;
  },
};

function describeAdded(container: string, name: string): string | undefined {
  if (DANGEROUS_CAPABILITIES.has(name)) return `container "${container}" adds the dangerous capability ${name}; remove it`;
  const upper = runtimeCapabilityName(name);
  if (DANGEROUS_CAPABILITIES.has(upper)) {
    return `container "${container}" adds "${name}", which containerd grants as ${upper} (a dangerous capability); remove it`;
  }
  if (upper.startsWith('CAP_') && DANGEROUS_CAPABILITIES.has(upper.slice(4))) {
    return (
      `container "${container}" adds "${name}", which is not a valid Kubernetes capability name (write ${upper.slice(4)} without CAP_); ` +
      `whether the runtime grants it depends on the runtime — it is suspicious either way, remove it`
    );
  }
  return undefined;
}
