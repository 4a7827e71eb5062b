import { PSA_CONTAINERS } from '../covered-containers.js';
import { settingsOf } from '../../analysis/pod/security-context.js';
import type { PodCheck, Violation } from '../types.js';
import { setter, show } from './support.js';
import { setFieldFix } from '../../analysis/pod/containers.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** Legacy annotation values baseline allows: empty (null reads as empty), runtime/default, localhost/<profile>. */
function allowedAnnotationValue(value: unknown): boolean {
  return value === null || value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

export const podAppArmorNotUnconfined: PodCheck = {
  id: 'pod-apparmor-not-unconfined',
  title: 'AppArmor is not disabled',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:baseline/appArmorProfile', 'nsa:P11'],
  pss: { level: 'baseline', check: 'appArmorProfile' },
  rationale:
    'On nodes with AppArmor, containers run under the runtime\'s default profile. An Unconfined profile removes ' +
    'that layer of defence.',
  remediation:
    'Use appArmorProfile.type RuntimeDefault or Localhost (or leave it unset) at the pod level and on every ' +
    'container; in the legacy container.apparmor.security.beta.kubernetes.io/* annotations use runtime/default or localhost/<profile>.',
  appliesTo: 'pod specs and their pod-template annotations',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  appArmorProfile:\n    type: RuntimeDefault',
    fail: 'securityContext:\n  appArmorProfile:\n    type: Unconfined',
  },
  evaluate(pod) {
    const violations: Violation[] = settingsOf(pod, 'appArmorProfileType')
      .filter((s) => !ALLOWED_TYPES.has(s.value as string))
      .map((s) => ({
        path: s.path,
        message: `${setter(s)} sets appArmorProfile.type to ${show(s.value)}; use RuntimeDefault or Localhost`,
        fix: [setFieldFix(pod.object, s.path, 'RuntimeDefault')],
      }));
    const annotations = pod.meta.annotations;
    if (annotations && typeof annotations === 'object') {
      for (const [key, value] of Object.entries(annotations)) {
        if (!key.startsWith(ANNOTATION_PREFIX) || allowedAnnotationValue(value)) continue;
        const path = [...pod.metaPath, 'annotations', key];
        violations.push({
          path,
          message: `annotation ${key} is ${show(value)}; use runtime/default or localhost/<profile> (or the appArmorProfile field)`,
          fix: [setFieldFix(pod.object, path, 'runtime/default')],
        });
      }
    }
    return violations;
  },
};
