import { PSA_CONTAINERS } from '../covered-containers.js';
import { PSS_SINCE, isAtLeast } from '../../analysis/pod/pss-version.js';
import { settingsOf } from '../../analysis/pod/security-context.js';
import type { PodTarget } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck, Violation } from '../types.js';
import { policyVersion, setter, show } from './support.js';
import { setFieldFix } from '../../analysis/pod/containers.js';

export const ALLOWED_SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** Policy v1.19+: no pod or container sets seccompProfile.type to anything but RuntimeDefault or Localhost. */
function seccompFieldViolations(pod: PodTarget): Violation[] {
  return settingsOf(pod, 'seccompProfileType')
    .filter((s) => !ALLOWED_SECCOMP_TYPES.has(s.value as string))
    .map((s) => ({
      path: s.path,
      message: `${setter(s)} sets seccompProfile.type to ${show(s.value)}; use RuntimeDefault or Localhost`,
      fix: [setFieldFix(pod.object, s.path, 'RuntimeDefault')],
    }));
}

/**
 * Policy v1.0–v1.18: the alpha annotations, the pod one and one per visited container name.
 * Present-but-empty is not allowed (only absence is).
 */
function seccompAnnotationViolations(pod: PodTarget): Violation[] {
  const annotations = (pod.meta.annotations ?? {}) as Record<string, unknown>;
  const keys = [POD_ANNOTATION, ...containersOf(pod).map((ref) => CONTAINER_ANNOTATION_PREFIX + ref.name)];
  const violations: Violation[] = [];
  for (const key of new Set(keys)) {
    if (!Object.hasOwn(annotations, key)) continue;
    const value = annotations[key];
    const allowed =
      value === 'runtime/default' || value === 'docker/default' || (typeof value === 'string' && value.startsWith('localhost/'));
    if (allowed) continue;
    const path = [...pod.metaPath, 'annotations', key];
    violations.push({
      path,
      message: `annotation ${key} is ${show(value ?? '')}; use runtime/default or localhost/<profile>`,
      fix: [setFieldFix(pod.object, path, 'runtime/default')],
    });
  }
  return violations;
}

export const podSeccompNotUnconfined: PodCheck = {
  id: 'pod-seccomp-not-unconfined',
  title: 'Seccomp is not disabled',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:baseline/seccompProfile_baseline'],
  pss: { level: 'baseline', check: 'seccompProfile_baseline', overriddenBy: 'seccompProfile_restricted' },
  rationale:
    'Seccomp filters the system calls a container can make; an Unconfined profile opens the whole kernel ' +
    'system-call surface to the container.',
  remediation:
    'Use seccompProfile.type RuntimeDefault or Localhost (or leave it unset) at the pod level and on every container.',
  appliesTo: 'pod and container securityContext.seccompProfile (annotations below policy v1.19)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  seccompProfile:\n    type: RuntimeDefault',
    fail: 'securityContext:\n  seccompProfile:\n    type: Unconfined',
  },
  evaluate(pod, ctx) {
    return isAtLeast(policyVersion(ctx), PSS_SINCE.seccompFields) ? seccompFieldViolations(pod) : seccompAnnotationViolations(pod);
  },
};
