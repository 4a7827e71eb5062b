import { PSA_CONTAINERS } from '../covered-containers.js';
import { allowedSeLinuxTypesAt } from '../../analysis/pod/pss-version.js';
import { settingsOf } from '../../analysis/pod/security-context.js';
import { isMapping } from '../../inventory/model.js';
import type { PodCheck, Violation } from '../types.js';
import { policyVersion, setter, show } from './support.js';
import { removeFieldFix } from '../../analysis/pod/containers.js';

export const podSeLinuxOptionsAllowed: PodCheck = {
  id: 'pod-selinux-options-allowed',
  title: 'SELinux options keep the container types',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:baseline/seLinuxOptions', 'nsa:P11'],
  pss: { level: 'baseline', check: 'seLinuxOptions' },
  rationale:
    'A custom SELinux type (for example spc_t) or a custom SELinux user or role can lift the SELinux confinement ' +
    'that keeps containers apart from the node and from each other.',
  remediation:
    'In seLinuxOptions use only type container_t, container_init_t, container_kvm_t or (policy v1.31+) ' +
    'container_engine_t, and do not set user or role; the level may be set.',
  appliesTo: 'pod and container securityContext.seLinuxOptions',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  seLinuxOptions:\n    level: "s0:c123,c456"',
    fail: 'securityContext:\n  seLinuxOptions:\n    type: spc_t',
  },
  evaluate(pod, ctx) {
    const allowedTypes = allowedSeLinuxTypesAt(policyVersion(ctx));
    const violations: Violation[] = [];
    for (const s of settingsOf(pod, 'seLinuxOptions')) {
      if (!isMapping(s.value)) continue;
      const { type, user, role } = s.value;
      if (type !== undefined && type !== null && !allowedTypes.has(type as string)) {
        const path = [...s.path, 'type'];
        violations.push({
          path,
          message: `${setter(s)} sets seLinuxOptions.type to ${show(type)}; use container_t (or remove it)`,
          fix: [removeFieldFix(path)],
        });
      }
      for (const [field, value] of [['user', user], ['role', role]] as const) {
        if (value === undefined || value === null || value === '') continue;
        const path = [...s.path, field];
        violations.push({
          path,
          message: `${setter(s)} sets seLinuxOptions.${field} to ${show(value)}; remove it`,
          fix: [removeFieldFix(path)],
        });
      }
    }
    return violations;
  },
};
