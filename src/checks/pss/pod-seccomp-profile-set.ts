import { PSS_SINCE, isAtLeast } from '../../analysis/pod/pss-version.js';
import { effectiveSecurityContexts, isWindowsPod, podSecurityContextPath, podSetting } from '../../analysis/pod/security-context.js';
import type { PodCheck, Violation } from '../types.js';
import { ALLOWED_SECCOMP_TYPES, podSeccompNotUnconfined } from './pod-seccomp-not-unconfined.js';
import { containerName, policyVersion, setFieldFix, show } from './support.js';

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
  scope: 'pod',
  evaluate(pod, ctx) {
    const version = policyVersion(ctx);
    // Below v1.19 the library runs the baseline annotation check at restricted instead of this one.
    if (!isAtLeast(version, PSS_SINCE.seccompFields)) return podSeccompNotUnconfined.evaluate(pod, ctx);
    if (isAtLeast(version, PSS_SINCE.windowsExemption) && isWindowsPod(pod)) return [];

    const podLevelPath = [...podSecurityContextPath(pod), 'seccompProfile'];
    const podLevelFix = setFieldFix(pod.object, podLevelPath, { type: 'RuntimeDefault' });
    const violations: Violation[] = [];
    const atPod = podSetting(pod, 'seccompProfileType');
    if (atPod && !ALLOWED_SECCOMP_TYPES.has(atPod.value as string)) {
      violations.push({
        path: atPod.path,
        message: `the pod sets seccompProfile.type to ${show(atPod.value)}; use RuntimeDefault or Localhost`,
        fix: [setFieldFix(pod.object, atPod.path, 'RuntimeDefault')],
      });
    }
    for (const { container, fields } of effectiveSecurityContexts(pod)) {
      const effective = fields.seccompProfileType;
      // A container inheriting a bad pod-level value is covered by the pod-level violation.
      if (ALLOWED_SECCOMP_TYPES.has(effective.value as string) || effective.origin === 'pod') continue;
      if (effective.origin === 'container') {
        violations.push({
          path: effective.path,
          message: `${containerName(container)} sets seccompProfile.type to ${show(effective.value)}; use RuntimeDefault or Localhost`,
          fix: [setFieldFix(pod.object, effective.path, 'RuntimeDefault')],
        });
      } else {
        violations.push({
          path: effective.path,
          message: `neither ${containerName(container)} nor the pod sets a seccomp profile; set seccompProfile.type: RuntimeDefault`,
          remediation:
            'Set spec.securityContext.seccompProfile.type: RuntimeDefault at the pod level, which covers every container ' +
            '(or set it on this container).',
          fix: [podLevelFix],
        });
      }
    }
    return violations;
  },
};
