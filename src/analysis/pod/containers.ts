// Facts about a pod's containers that checks and the RBAC escalation model share: how messages
// name a container, its capability lists, whether it runs as root on its node, and the
// JSON-patch fixes that set a field. Every container list counts: init, regular and ephemeral.

import type { ContainerRef, InventoryObject, PathSegment, PodTarget } from '../../inventory/model.js';
import { getPath, isMapping, jsonPointer } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PatchOp } from '../../result/result.js';

/** `container "app"` — how messages name a container. */
export function containerName(ref: ContainerRef): string {
  const kind = ref.list === 'initContainers' ? 'init container' : ref.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${kind} "${ref.name}"`;
}

/** A container's `securityContext.capabilities.add` or `.drop` list and its path ([] when absent). */
export function capabilityList(ref: ContainerRef, which: 'add' | 'drop'): { entries: unknown[]; path: PathSegment[] } {
  const path = [...ref.path, 'securityContext', 'capabilities', which];
  const sc = ref.container.securityContext;
  const caps = isMapping(sc) ? sc.capabilities : undefined;
  const list = isMapping(caps) ? caps[which] : undefined;
  return { entries: Array.isArray(list) ? list : [], path };
}

/** The entries of securityContext.capabilities.add or .drop with their index (non-strings left out). */
export function capabilityEntries(c: ContainerRef, list: 'add' | 'drop'): { name: string; index: number }[] {
  return capabilityList(c, list).entries.flatMap((name, index) => (typeof name === 'string' ? [{ name, index }] : []));
}

/**
 * The capability a runtime would act on: containerd upper-cases names and prefixes CAP_, so
 * "sys_admin" grants CAP_SYS_ADMIN. Kubernetes itself (and Pod Security Admission) compares names exactly.
 */
export function runtimeCapabilityName(name: string): string {
  return name.toUpperCase();
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

/** A container with securityContext.privileged: true — root on its node. */
function isPrivileged(ref: ContainerRef): boolean {
  const sc = ref.container.securityContext;
  return isMapping(sc) && sc.privileged === true;
}

/**
 * A pod whose code runs as root on its node: the host's PID namespace, a hostPath volume, or a
 * privileged container of any list — ephemeral containers included (`kubectl debug` adds them
 * to a running pod).
 */
export function givesNodeAccess(pod: PodTarget): boolean {
  if (pod.spec.hostPID === true) return true;
  if (Array.isArray(pod.spec.volumes) && pod.spec.volumes.some((v) => isMapping(v) && v.hostPath !== undefined)) return true;
  return containersOf(pod).some(isPrivileged);
}
