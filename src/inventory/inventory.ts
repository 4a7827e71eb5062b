import { InputProblem, InventoryObject, PodTarget, SourceRef, describeObject, isMapping } from './model.js';
import { POD_BEARING_KINDS, extractPodSpecs } from './pod-specs.js';

/** A kind the source could not read (a live cluster answered 403, 404, …): checks that read it cannot decide. */
export interface UnavailableKind {
  kind: string;
  /** Why, in plain words: "forbidden: …", "not served by this API server". */
  reason: string;
  /** The permission that would let the scan read it, e.g. `list pods (apiGroup "")`. */
  permission?: string;
}

/** What `trackReads` saw: the kinds a piece of code asked the inventory for ('all' when it walked every object). */
export type KindsRead = ReadonlySet<string> | 'all';

/**
 * Everything a scan looks at. Built once per scan from a source; indexes are filled on
 * construction so checks never scan the whole list for their kind.
 */
export class Inventory {
  private readonly allObjects: InventoryObject[] = [];
  readonly problems: InputProblem[] = [];
  /** Permission bits (`mode & 0777`) of the files the objects were read from, recorded as each file was read. */
  readonly fileModes = new Map<string, number>();
  /** Kinds the source could not read; empty for files, which hold what they hold. */
  readonly unavailable = new Map<string, UnavailableKind>();
  private readonly allPods: PodTarget[] = [];
  /** Pod targets by object and by namespace, so cross-object checks stay linear in the input. */
  private readonly podsByObject = new Map<InventoryObject, PodTarget[]>();
  private readonly podsByNamespace = new Map<string | undefined, PodTarget[]>();
  /** The kinds read since `trackReads` began, so the engine can tell a pass from "could not see". */
  private reads: Set<string> | 'all' | undefined;
  private readonly byKind = new Map<string, InventoryObject[]>();
  /** kind, namespace and name → object (the last one added wins, as `kubectl apply` would leave it). */
  private readonly byKey = new Map<string, InventoryObject>();
  private readonly byKindNamespace = new Map<string, InventoryObject[]>();

  /** Every object, in the order added. */
  get objects(): readonly InventoryObject[] {
    this.noteRead('all');
    return this.allObjects;
  }

  /** Every pod spec of every pod-bearing object, extracted once (several for an object with several templates). */
  get pods(): readonly PodTarget[] {
    for (const kind of POD_BEARING_KINDS) this.noteRead(kind);
    return this.allPods;
  }

  /** The pod targets of one object (several for an object with several templates; none for other kinds). */
  podsOf(obj: InventoryObject): readonly PodTarget[] {
    for (const kind of POD_BEARING_KINDS) this.noteRead(kind);
    return this.podsByObject.get(obj) ?? [];
  }

  /** The pod targets of objects in one namespace (exact match on metadata.namespace; undefined = not set). */
  podsInNamespace(namespace: string | undefined): readonly PodTarget[] {
    for (const kind of POD_BEARING_KINDS) this.noteRead(kind);
    return this.podsByNamespace.get(namespace) ?? [];
  }

  /** Runs `fn` and reports which kinds it read. */
  trackReads<T>(fn: () => T): { value: T; read: KindsRead } {
    const outer = this.reads;
    this.reads = new Set();
    try {
      const value = fn();
      return { value, read: this.reads };
    } finally {
      this.reads = outer;
    }
  }

  private noteRead(kind: string | 'all'): void {
    if (this.reads === undefined || this.reads === 'all') return;
    if (kind === 'all') this.reads = 'all';
    else this.reads.add(kind);
  }

  add(obj: InventoryObject): void {
    this.allObjects.push(obj);
    let list = this.byKind.get(obj.kind);
    if (!list) this.byKind.set(obj.kind, (list = []));
    list.push(obj);
    this.byKey.set(objectKey(obj.kind, obj.namespace, obj.name), obj);
    const nsKey = objectKey(obj.kind, obj.namespace, '');
    let nsList = this.byKindNamespace.get(nsKey);
    if (!nsList) this.byKindNamespace.set(nsKey, (nsList = []));
    nsList.push(obj);
    const pods = extractPodSpecs(obj);
    this.allPods.push(...pods.targets);
    if (pods.targets.length) {
      this.podsByObject.set(obj, pods.targets);
      let inNamespace = this.podsByNamespace.get(obj.namespace);
      if (!inNamespace) this.podsByNamespace.set(obj.namespace, (inNamespace = []));
      inNamespace.push(...pods.targets);
    }
    for (const { message, skipped } of pods.problems) {
      this.problems.push({
        source: obj.source.file,
        line: obj.source.line || undefined,
        message: `${describeObject(obj)}: ${message}; ${skipped ? `its pod checks were not run on ${skipped}` : 'its pod checks were not run'}`,
        level: 'error',
      });
    }
  }

  ofKind(kind: string): readonly InventoryObject[] {
    this.noteRead(kind);
    return this.byKind.get(kind) ?? [];
  }

  /** Objects of a kind in one namespace (exact match on metadata.namespace; undefined = not set). */
  inNamespace(kind: string, namespace: string | undefined): readonly InventoryObject[] {
    this.noteRead(kind);
    return this.byKindNamespace.get(objectKey(kind, namespace, '')) ?? [];
  }

  /** An object by kind, namespace (undefined = not set in the manifest) and name, in constant time. */
  find(kind: string, namespace: string | undefined, name: string): InventoryObject | undefined {
    this.noteRead(kind);
    return this.byKey.get(objectKey(kind, namespace, name));
  }

  get size(): number {
    return this.allObjects.length;
  }
}

function objectKey(kind: string, namespace: string | undefined, name: string): string {
  // \u0001 marks "no namespace" so it cannot collide with a namespace named "".
  return `${kind}\u0000${namespace ?? '\u0001'}\u0000${name}`;
}

/**
 * Turns a parsed document value into an InventoryObject, or explains why it is not one.
 * Large fields that no check reads (a CRD's OpenAPI schema) are dropped here to keep memory flat.
 */
export function toInventoryObject(
  value: unknown,
  source: SourceRef,
  id: number,
): { object: InventoryObject } | { problem: string } {
  return keptToInventoryObject(keptCopy(value), source, id);
}

/**
 * What `keptCopy` gives for a value nested deeper than copying it allows (JavaScript's stack runs
 * out some 9,000 levels down): `keptToInventoryObject` turns it into the problem, naming the
 * object. The API server refuses objects nested over 10,000 levels (live-scan.test.ts), and the
 * kinds a scan lists have typed fields, nested a few dozen levels at most; a hostile server or
 * file need not keep to either.
 */
class NestedTooDeeply {
  readonly problem: string;
  constructor(value: unknown) {
    const object = isMapping(value) ? value : {};
    const metadata = isMapping(object.metadata) ? object.metadata : {};
    const name = `${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${typeof metadata.name === 'string' ? metadata.name : '(no name)'}`;
    this.problem = `${typeof object.kind === 'string' ? object.kind : 'an object'} ${name} is nested too deeply to read; it is left out of the scan`;
  }
}

/**
 * What the inventory keeps of a value, as a detached copy, made as soon as the value is read
 * (a live list's page) so that only that copy is held until the inventory is built; a value
 * that is no Kubernetes object is returned as it is, for `toInventoryObject` to explain.
 */
export function keptCopy(value: unknown, strings?: Map<string, string>): unknown {
  const checked = keptForInventory(value);
  if ('problem' in checked) return value;
  try {
    return strings ? internedCopy(checked.kept, strings) : detached(checked.kept);
  } catch (err) {
    if (err instanceof RangeError) return new NestedTooDeeply(value);
    throw err;
  }
}

/**
 * `detached` for values that are JSON data already (a live list's items), with every string
 * value shared with its equals through `strings`: objects from the API server repeat the same
 * values in every object (defaulted fields such as `imagePullPolicy: IfNotPresent` or
 * `terminationMessagePath`, apiVersions, label values, the CA bundle of every namespace's
 * kube-root-ca.crt), and JSON.parse makes a string of each.
 */
function internedCopy(value: unknown, strings: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const shared = strings.get(value);
    if (shared !== undefined) return shared;
    strings.set(value, value);
    return value;
  }
  // JSON.parse('-0') is -0, which a JSON round trip writes as 0.
  if (value === 0) return 0;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = value[i] === undefined ? null : internedCopy(value[i], strings);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    // JSON.parse makes "__proto__" an own key; an assignment would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: internedCopy(v, strings), enumerable: true, writable: true, configurable: true });
    else copy[key] = internedCopy(v, strings);
  }
  return copy;
}

/** `toInventoryObject` for a value that `keptCopy` already made: not copied again. */
export function keptToInventoryObject(value: unknown, source: SourceRef, id: number): { object: InventoryObject } | { problem: string } {
  const checked = keptForInventory(value);
  if ('problem' in checked) return checked;
  return { object: inventoryObjectFrom(checked.kept, source, id) };
}

/**
 * Checks that a parsed value is a Kubernetes object and returns what the inventory keeps of
 * it (still sharing strings with the parser's input: detach it before keeping it).
 */
export function keptForInventory(value: unknown): { kept: Record<string, unknown> } | { problem: string } {
  if (value instanceof NestedTooDeeply) return { problem: value.problem };
  if (!isMapping(value)) {
    return { problem: `document is ${describeValue(value)}, not a Kubernetes object` };
  }
  if (typeof value.kind !== 'string' || value.kind === '') return { problem: 'document has no `kind`, so it is not a Kubernetes object' };
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') return { problem: `${value.kind} has no \`apiVersion\`` };
  if (value.metadata !== undefined && value.metadata !== null && !isMapping(value.metadata)) {
    return { problem: `${value.kind}: metadata must be a mapping` };
  }
  if (value.kind === 'CustomResourceDefinition' && isMapping(value.spec)) {
    // The OpenAPI schemas are most of the bytes of a CRD and nothing checks them.
    return { kept: { ...value, spec: stripCrdSchemas(value.spec) } };
  }
  return { kept: value };
}

/** Builds the InventoryObject from a value already detached from the parser's strings. */
export function inventoryObjectFrom(raw: Record<string, unknown>, source: SourceRef, id: number): InventoryObject {
  const apiVersion = raw.apiVersion as string;
  const kind = raw.kind as string;
  const metadata = isMapping(raw.metadata) ? raw.metadata : {};
  const slash = apiVersion.indexOf('/');
  return {
    id,
    apiVersion,
    kind,
    group: slash === -1 ? '' : apiVersion.slice(0, slash),
    name: stringOr(metadata.name) ?? stringOr(metadata.generateName) ?? '',
    namespace: stringOr(metadata.namespace),
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    raw,
    source,
  };
}

/**
 * A copy that shares no string with the parser's input. V8 makes substrings of 13 or more
 * characters as slices that keep their whole parent string alive, so every label or image
 * name kept from a parsed document would keep the entire file's text in memory (measured: the
 * inventory of 30,000 objects held ~470 MB, mostly file text). A JSON round trip makes fresh
 * strings; Kubernetes objects are JSON data, so nothing is lost (YAML's .inf/.nan, which the
 * API cannot carry either, become null).
 */
function detached(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function stripCrdSchemas(spec: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(spec.versions)) return spec;
  return {
    ...spec,
    versions: spec.versions.map((v) => (isMapping(v) ? { ...v, schema: undefined } : v)),
  };
}

function stringOr(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Labels and annotations as strings; YAML 1.1 may have turned `"on"`-like values into booleans. */
function stringMap(v: unknown): Record<string, string> {
  if (!isMapping(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === null || val === undefined) continue;
    out[k] = typeof val === 'string' ? val : String(val);
  }
  return out;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v} scalar`;
}
