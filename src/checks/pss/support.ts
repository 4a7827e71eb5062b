// Small helpers shared by the Pod Security Standards checks: the policy version of the scan,
// how messages name who set a field, and JSON-patch fixes that create missing parents.

import type { ContainerRef, InventoryObject, PathSegment } from '../../inventory/model.js';
import { getPath, isMapping, jsonPointer } from '../../inventory/model.js';
import { requirePssVersion, type PssVersion } from '../../analysis/pod/pss-version.js';
import type { Setting } from '../../analysis/pod/security-context.js';
import type { CheckContext, PatchOp } from '../types.js';

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
