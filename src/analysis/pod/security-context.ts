// The effective security context of a container: which pod-level securityContext fields a
// container inherits and which it overrides, decided once for every check that needs it.
//
// Kubernetes' rule (kubelet's determineEffectiveSecurityContext, and the Pod Security
// Admission checks): a field set on the container wins; otherwise the pod-level field of the
// same name applies; otherwise it is unset. "Set" means present and not null — an explicit
// `false` on a container overrides a pod-level `true`.
//
// Fields whose value is a struct are set or unset as a whole, as in the API: a container's
// `seccompProfile: {}` overrides the pod's profile even though it names no type, and
// `seLinuxOptions` is taken whole from the container or the pod, never merged. Within
// `windowsOptions`, `hostProcess` is resolved on its own (the kubelet merges windowsOptions
// field by field).
//
// Values are returned as read from the manifest (`unknown`): the inventory has already
// rejected wrong types for the scalar fields, and checks compare values exactly, so an
// unexpected value simply is not an allowed one.

import type { ContainerRef, PathSegment, PodTarget } from '../../inventory/model.js';
import { isMapping } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';

/** The security-context fields that pods and containers share. */
export type SharedSecurityField =
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'runAsGroup'
  | 'seccompProfileType'
  | 'appArmorProfileType'
  | 'seLinuxOptions'
  | 'windowsHostProcess';

/** For each field: `setAt` decides whether a level sets it, `valueAt` is the value reported (paths inside securityContext). */
const FIELD_LOCATIONS: Record<SharedSecurityField, { setAt: string[]; valueAt: string[] }> = {
  runAsNonRoot: { setAt: ['runAsNonRoot'], valueAt: ['runAsNonRoot'] },
  runAsUser: { setAt: ['runAsUser'], valueAt: ['runAsUser'] },
  runAsGroup: { setAt: ['runAsGroup'], valueAt: ['runAsGroup'] },
  seccompProfileType: { setAt: ['seccompProfile'], valueAt: ['seccompProfile', 'type'] },
  appArmorProfileType: { setAt: ['appArmorProfile'], valueAt: ['appArmorProfile', 'type'] },
  seLinuxOptions: { setAt: ['seLinuxOptions'], valueAt: ['seLinuxOptions'] },
  windowsHostProcess: { setAt: ['windowsOptions', 'hostProcess'], valueAt: ['windowsOptions', 'hostProcess'] },
};

const SHARED_SECURITY_FIELDS = Object.keys(FIELD_LOCATIONS) as SharedSecurityField[];

/** Where an effective value came from. */
export type Origin = 'container' | 'pod' | 'unset';

/** An effective value and the field that decided it. */
export interface Resolved {
  /** The value (undefined when unset, or when a set profile names no type). */
  value: unknown;
  origin: Origin;
  /**
   * Path from the object root to the field that decided the value. When unset: the
   * container-level field, where a container-specific fix would go.
   */
  path: PathSegment[];
}

/** One explicit setting of a field, by the pod or by one container. */
export interface Setting {
  origin: 'pod' | 'container';
  /** The container, when a container sets it. */
  container?: ContainerRef;
  value: unknown;
  path: PathSegment[];
}

export interface EffectiveSecurityContext {
  container: ContainerRef;
  fields: Record<SharedSecurityField, Resolved>;
}

/** The pod-level securityContext mapping, if any. */
export function podSecurityContext(pod: PodTarget): Record<string, unknown> | undefined {
  return isMapping(pod.spec.securityContext) ? pod.spec.securityContext : undefined;
}

/** A container's securityContext mapping, if any. */
export function containerSecurityContext(ref: ContainerRef): Record<string, unknown> | undefined {
  return isMapping(ref.container.securityContext) ? ref.container.securityContext : undefined;
}

export function podSecurityContextPath(pod: PodTarget): PathSegment[] {
  return [...pod.specPath, 'securityContext'];
}

export function containerSecurityContextPath(ref: ContainerRef): PathSegment[] {
  return [...ref.path, 'securityContext'];
}

/** The pod's own setting of a field, or undefined when the pod does not set it. */
export function podSetting(pod: PodTarget, field: SharedSecurityField): Setting | undefined {
  const read = readField(podSecurityContext(pod), field);
  return read && { origin: 'pod', value: read.value, path: podFieldPath(pod, field) };
}

/** A container's own setting of a field, or undefined when the container does not set it. */
function containerSetting(ref: ContainerRef, field: SharedSecurityField): Setting | undefined {
  const read = readField(containerSecurityContext(ref), field);
  return read && { origin: 'container', container: ref, value: read.value, path: containerFieldPath(ref, field) };
}

/** Every explicit setting of a field: the pod's first, then each container's in PSA order. */
export function settingsOf(pod: PodTarget, field: SharedSecurityField): Setting[] {
  const settings: Setting[] = [];
  const atPod = podSetting(pod, field);
  if (atPod) settings.push(atPod);
  for (const ref of containersOf(pod)) {
    const atContainer = containerSetting(ref, field);
    if (atContainer) settings.push(atContainer);
  }
  return settings;
}

/** The effective value of one field for one container: container, else pod, else unset. */
export function resolveField(pod: PodTarget, ref: ContainerRef, field: SharedSecurityField): Resolved {
  const own = containerSetting(ref, field);
  if (own) return { value: own.value, origin: 'container', path: own.path };
  const inherited = podSetting(pod, field);
  if (inherited) return { value: inherited.value, origin: 'pod', path: inherited.path };
  return { value: undefined, origin: 'unset', path: containerFieldPath(ref, field) };
}

/** The effective security context of one container. */
export function effectiveSecurityContext(pod: PodTarget, ref: ContainerRef): EffectiveSecurityContext {
  const fields = {} as Record<SharedSecurityField, Resolved>;
  for (const field of SHARED_SECURITY_FIELDS) fields[field] = resolveField(pod, ref, field);
  return { container: ref, fields };
}

/** The effective security context of every container (init, regular, ephemeral — PSA order). */
export function effectiveSecurityContexts(pod: PodTarget): EffectiveSecurityContext[] {
  return containersOf(pod).map((ref) => effectiveSecurityContext(pod, ref));
}

/** `spec.os.name` is `windows`: the PSA relaxations for Windows pods apply (policy v1.25+). */
export function isWindowsPod(pod: PodTarget): boolean {
  return isMapping(pod.spec.os) && pod.spec.os.name === 'windows';
}

/** `spec.hostUsers` is explicitly `false`: the pod runs in a user namespace (unset means host users). */
export function runsInUserNamespace(pod: PodTarget): boolean {
  return pod.spec.hostUsers === false;
}

/** Path of a field in the pod-level securityContext, whether or not it is set. */
export function podFieldPath(pod: PodTarget, field: SharedSecurityField): PathSegment[] {
  return [...podSecurityContextPath(pod), ...FIELD_LOCATIONS[field].valueAt];
}

function containerFieldPath(ref: ContainerRef, field: SharedSecurityField): PathSegment[] {
  return [...containerSecurityContextPath(ref), ...FIELD_LOCATIONS[field].valueAt];
}

/** Reads a field from a securityContext: undefined when not set (absent or null) at that level. */
function readField(sc: Record<string, unknown> | undefined, field: SharedSecurityField): { value: unknown } | undefined {
  if (!sc) return undefined;
  const { setAt, valueAt } = FIELD_LOCATIONS[field];
  const marker = dig(sc, setAt);
  if (marker === undefined || marker === null) return undefined;
  const value = dig(sc, valueAt);
  return { value: value === null ? undefined : value };
}

function dig(root: Record<string, unknown>, path: string[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (!isMapping(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}
