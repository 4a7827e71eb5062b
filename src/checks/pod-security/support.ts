// Small helpers shared by the Pod Security Standards checks: the policy version of the scan,
// how messages name who set a field, JSON-patch fixes that create missing parents, and the
// "every container must end up with an allowed value" rule of runAsNonRoot and seccomp.

import type { ContainerRef, InventoryObject, PathSegment, PodTarget } from '../../inventory/model.js';
import { getPath, isMapping, jsonPointer } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { requirePssVersion, type PssVersion } from '../../analysis/pod/pss-version.js';
import { podFieldPath, podSetting, resolveField, type Setting, type SharedSecurityField } from '../../analysis/pod/security-context.js';
import type { CheckContext, Violation } from '../types.js';
import type { PatchOp } from '../../result/result.js';

/** The scan's policy version; an invalid one is an error the engine reports for the check. */
export function policyVersion(ctx: CheckContext): PssVersion {
  return requirePssVersion(ctx.pssVersion);
}

/** `container "app"` — how messages name a container. */
export function containerName(ref: ContainerRef): string {
  const kind = ref.list === 'initContainers' ? 'init container' : ref.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${kind} "${ref.name}"`;
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

/**
 * An `add` operation that sets the field at `path`, creating the missing parent mappings
 * (for example the whole `securityContext` when a container has none).
 */
export function setFieldFix(object: InventoryObject, path: PathSegment[], value: unknown): PatchOp {
  let existing = 0;
  for (let i = 1; i < path.length; i++) {
    const parent = getPath(object.raw, path.slice(0, i));
    if (!isMapping(parent) && !Array.isArray(parent)) break;
    existing = i;
  }
  let nested = value;
  for (let i = path.length - 1; i > existing; i--) nested = { [path[i] as string]: nested };
  return { op: 'add', path: jsonPointer(path.slice(0, existing + 1)), value: nested };
}

export function removeFieldFix(path: PathSegment[]): PatchOp {
  return { op: 'remove', path: jsonPointer(path) };
}

/** A container's `securityContext.capabilities.add` or `.drop` list and its path ([] when absent). */
export function capabilityList(ref: ContainerRef, which: 'add' | 'drop'): { entries: unknown[]; path: PathSegment[] } {
  const path = [...ref.path, 'securityContext', 'capabilities', which];
  const sc = ref.container.securityContext;
  const caps = isMapping(sc) ? sc.capabilities : undefined;
  const list = isMapping(caps) ? caps[which] : undefined;
  return { entries: Array.isArray(list) ? list : [], path };
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
