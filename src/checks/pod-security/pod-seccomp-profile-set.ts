import { PSA_CONTAINERS } from '../covered-containers.js';
import { PSS_SINCE, isAtLeast } from '../../analysis/pod/pss-version.js';
import { isWindowsPod } from '../../analysis/pod/security-context.js';
import type { PodCheck } from '../types.js';
import { ALLOWED_SECCOMP_TYPES, podSeccompNotUnconfined } from './pod-seccomp-not-unconfined.js';
import { policyVersion, requiredSettingViolations, show } from './support.js';

export const podSeccompProfileSet: PodCheck = {
  id: 'pod-seccomp-profile-set',
  title: 'Every container runs with the RuntimeDefault or a Localhost seccomp profile',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:restricted/seccompProfile_restricted', 'cis:5.6.2', 'nsa:P11'],
  pss: { level: 'restricted', check: 'seccompProfile_restricted' },
  rationale:
    'Without a seccomp profile a container can make every system call, including the rarely used ones most ' +
    'kernel exploits need. RuntimeDefault blocks them at almost no cost.',
  remediation:
    'Set spec.securityContext.seccompProfile.type: RuntimeDefault at the pod level (it covers every container), ' +
    'or Localhost with a profile; never Unconfined. Windows pods are exempt from policy v1.25.',
  appliesTo: 'pod and container securityContext.seccompProfile (policy v1.19 and later)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault',
    fail: 'spec:\n  containers:\n  - name: app   # no seccompProfile on the pod or the container',
  },
  evaluate(pod, ctx) {
    const version = policyVersion(ctx);
    // Below v1.19 the library runs the baseline annotation check at restricted instead of this one.
    if (!isAtLeast(version, PSS_SINCE.seccompFields)) return podSeccompNotUnconfined.evaluate(pod, ctx);
    if (isAtLeast(version, PSS_SINCE.windowsExemption) && isWindowsPod(pod)) return [];
    return requiredSettingViolations(pod, {
      field: 'seccompProfileType',
      isAllowed: (value) => ALLOWED_SECCOMP_TYPES.has(value as string),
      fixValue: 'RuntimeDefault',
      badValue: (value) => `sets seccompProfile.type to ${show(value)}; use RuntimeDefault or Localhost`,
      missing: 'sets a seccomp profile; set seccompProfile.type: RuntimeDefault',
      missingRemediation:
        'Set spec.securityContext.seccompProfile.type: RuntimeDefault at the pod level, which covers every container ' +
        '(or set it on this container).',
    });
  },
};
