import { PSA_CONTAINERS } from '../covered-containers.js';
import { PSS_SINCE, isAtLeast } from '../../analysis/pod/pss-version.js';
import { containerSecurityContext, containerSecurityContextPath, isWindowsPod } from '../../analysis/pod/security-context.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck } from '../types.js';
import { policyVersion } from './support.js';
import { containerName, setFieldFix } from '../../analysis/pod/containers.js';

export const containerDisallowsPrivilegeEscalation: PodCheck = {
  id: 'container-disallows-privilege-escalation',
  title: 'Containers set allowPrivilegeEscalation: false',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:restricted/allowPrivilegeEscalation', 'cis:5.2.6', 'nsa:P9'],
  pss: { level: 'restricted', check: 'allowPrivilegeEscalation' },
  rationale:
    'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent through setuid ' +
    'binaries or file capabilities (no_new_privs is not set), which undoes running as non-root.',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container (it has no pod-level field).',
  appliesTo: 'containers of Linux pod specs (policy v1.8 and later; Windows pods exempt from v1.25)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  allowPrivilegeEscalation: false',
    fail: 'securityContext: {}   # allowPrivilegeEscalation unset',
  },
  evaluate(pod, ctx) {
    const version = policyVersion(ctx);
    if (!isAtLeast(version, PSS_SINCE.allowPrivilegeEscalation)) return [];
    if (isAtLeast(version, PSS_SINCE.windowsExemption) && isWindowsPod(pod)) return [];
    return containersOf(pod)
      .filter((ref) => containerSecurityContext(ref)?.allowPrivilegeEscalation !== false)
      .map((ref) => {
        const path = [...containerSecurityContextPath(ref), 'allowPrivilegeEscalation'];
        const value = containerSecurityContext(ref)?.allowPrivilegeEscalation;
        return {
          path,
          message:
            value === true
              ? `${containerName(ref)} sets allowPrivilegeEscalation: true; set it to false`
              : `${containerName(ref)} does not set securityContext.allowPrivilegeEscalation: false`,
          fix: [setFieldFix(pod.object, path, false)],
        };
      });
  },
};
