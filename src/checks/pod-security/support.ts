// Small helpers shared by the Pod Security Standards checks: the policy version of the scan,
// how messages name who set a field, and the "every container must end up with an allowed
// value" rule of runAsNonRoot and seccomp. Container facts and set-field fixes are shared with
// the other checks: src/analysis/pod/containers.ts.

import type { PodTarget } from '../../inventory/model.js';
import { containerName, setFieldFix } from '../../analysis/pod/containers.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { requirePssVersion, type PssVersion } from '../../analysis/pod/pss-version.js';
import { podFieldPath, podSetting, resolveField, type Setting, type SharedSecurityField } from '../../analysis/pod/security-context.js';
import type { CheckContext, Violation } from '../types.js';

/** The scan's policy version; an invalid one is an error the engine reports for the check. */
export function policyVersion(ctx: CheckContext): PssVersion {
  return requirePssVersion(ctx.pssVersion);
}

/** `the pod` or `container "app"` — who made a setting. */
export function setter(setting: Setting): string {
  return setting.container ? containerName(setting.container) : 'the pod';
}

/** A value as messages show it: strings quoted, absence spelled out. */
export function show(value: unknown): string {
  if (value === undefined) return 'no value';
  return JSON.stringify(value);
}

/** A field every container must end up with an allowed value for (runAsNonRoot, seccompProfile_restricted). */
export interface RequiredSetting {
  field: SharedSecurityField;
  isAllowed(value: unknown): boolean;
  /** The value fixes write. */
  fixValue: unknown;
  /** What follows `the pod` or `container "a"` when it sets a bad value, e.g. `sets runAsNonRoot: false; set it to true`. */
  badValue(value: unknown): string;
  /** What follows `neither container "a" nor the pod` when nothing sets it. */
  missing: string;
  /** Remediation for a container that sets nothing: the pod-level fix covers every container. */
  missingRemediation: string;
}

/**
 * The library's rule for required settings: a pod-level value, if set, must be allowed (even when
 * every container overrides it); a container value, if set, must be allowed; a container that sets
 * nothing must inherit an allowed pod value. One violation per offending field: a container that
 * inherits a bad pod value is covered by the pod's violation. A missing value is reported at the
 * container field, with the pod-level fix (one field fixes every container).
 */
export function requiredSettingViolations(pod: PodTarget, rule: RequiredSetting): Violation[] {
  const violations: Violation[] = [];
  const atPod = podSetting(pod, rule.field);
  if (atPod && !rule.isAllowed(atPod.value)) {
    violations.push({
      path: atPod.path,
      message: `the pod ${rule.badValue(atPod.value)}`,
      fix: [setFieldFix(pod.object, atPod.path, rule.fixValue)],
    });
  }
  const podLevelFix = setFieldFix(pod.object, podFieldPath(pod, rule.field), rule.fixValue);
  for (const ref of containersOf(pod)) {
    const effective = resolveField(pod, ref, rule.field);
    if (rule.isAllowed(effective.value) || effective.origin === 'pod') continue;
    violations.push(
      effective.origin === 'container'
        ? {
            path: effective.path,
            message: `${containerName(ref)} ${rule.badValue(effective.value)}`,
            fix: [setFieldFix(pod.object, effective.path, rule.fixValue)],
          }
        : {
            path: effective.path,
            message: `neither ${containerName(ref)} nor the pod ${rule.missing}`,
            remediation: rule.missingRemediation,
            fix: [podLevelFix],
          },
    );
  }
  return violations;
}
