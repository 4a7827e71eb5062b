import { safeSysctlsAt } from '../../analysis/pod/pss-version.js';
import { podSecurityContext, podSecurityContextPath } from '../../analysis/pod/security-context.js';
import { isMapping } from '../../inventory/model.js';
import type { PodCheck, Violation } from '../types.js';
import { policyVersion, show } from './support.js';

export const podOnlySafeSysctls: PodCheck = {
  id: 'pod-only-safe-sysctls',
  title: 'Pods set only namespaced, safe sysctls',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:baseline/sysctls'],
  pss: { level: 'baseline', check: 'sysctls' },
  rationale:
    'Most kernel parameters are shared by every pod on the node or can starve it. Baseline allows only the ' +
    'sysctls known to be isolated per pod.',
  remediation:
    'Remove every entry of spec.securityContext.sysctls that is not in the safe set of the policy version ' +
    '(e.g. kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, ' +
    'net.ipv4.tcp_syncookies, net.ipv4.ping_group_range); set node-level tuning on the node instead.',
  appliesTo: 'spec.securityContext.sysctls of pod specs',
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  sysctls:\n  - name: net.ipv4.ip_unprivileged_port_start\n    value: "0"',
    fail: 'securityContext:\n  sysctls:\n  - name: kernel.msgmax\n    value: "65536"',
  },
  evaluate(pod, ctx) {
    const version = policyVersion(ctx);
    const safe = safeSysctlsAt(version);
    const sysctls = podSecurityContext(pod)?.sysctls;
    if (!Array.isArray(sysctls)) return [];
    const violations: Violation[] = [];
    sysctls.forEach((entry, i) => {
      const name = isMapping(entry) ? entry.name : undefined;
      if (typeof name === 'string' && safe.has(name)) return;
      violations.push({
        path: [...podSecurityContextPath(pod), 'sysctls', i, 'name'],
        message: `the pod sets sysctl ${show(name)}, which is not in the safe set of policy ${version.text}; remove it`,
      });
    });
    return violations;
  },
};
