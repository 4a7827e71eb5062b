// The Inventory: every Kubernetes object a scan looks at, with where it came from.
// Plain data plus indexes; checks read it, never change it.

import { flatString } from '../result/compact-strings.js';

/** One step of a field path: a mapping key or a list index. */
export type PathSegment = string | number;

/** The file name of objects read from standard input. */
export const STDIN_NAME = '<stdin>';

/** Where an object was read from. Lines are 1-based. */
export interface SourceRef {
  /** File path as the user gave it (or "<stdin>"). */
  file: string;
  /** Index of the YAML document in the file (0-based). */
  doc: number;
  /**
   * First line of the document with content, in the file (1-based): where messages about the
   * whole object point. 0 when the object was not read from a text (a live cluster).
   */
  line: number;
  /**
   * Where the object sits inside its document: [] for a plain document,
   * ['items', 3] for the fourth item of a `kind: List`.
   */
  pathInDoc: PathSegment[];
  /**
   * The file the object was made from when `file` is rendered output: the template named by
   * Helm's `# Source:` comment, or the file Kustomize's origin annotation names.
   */
  origin?: string;
  /**
   * Where the object's YAML document sits in the file, in bytes, and the document's first line,
   * when the file is UTF-8 text read as it is: positions are then found by reading just these
   * bytes again, not the whole file.
   */
  range?: DocumentRange;
  /**
   * Keys written twice in the object, each at its second occurrence (the lenient decoders keep
   * the last value; strict ones refuse the object). Absent when there are none.
   */
  duplicateKeys?: DuplicateKey[];
}

export interface DocumentRange {
  start: number;
  end: number;
  /** 1-based line of the range's first line in the file. */
  line: number;
}

/** A mapping key written a second time: its field path in the object and where the repeat is. */
export interface DuplicateKey {
  path: PathSegment[];
  line: number;
  column: number;
}

export interface InventoryObject {
  /** Sequence number in the inventory, stable for one scan. */
  id: number;
  apiVersion: string;
  kind: string;
  /** `group` part of apiVersion; "" for the core group. */
  group: string;
  name: string;
  /** metadata.namespace as written; undefined when the manifest does not say. */
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The object as parsed (YAML 1.1 scalars resolved as Kubernetes resolves them). */
  raw: Record<string, unknown>;
  source: SourceRef;
}

/**
 * A ServiceAccount that the operator creating the pods gives them itself when the template
 * names none, because a container it adds calls the API (KubeRay's autoscaler sidecar).
 */
export interface OperatorServiceAccount {
  /** Its name; undefined when the operator derives it from a name it generates at run time. */
  name?: string;
  /** Who sets it and why, in plain words, for messages. */
  reason: string;
}

/** A pod spec found in a pod-bearing object (a Pod, the template of a controller, or one of a custom resource's templates). */
export interface PodTarget {
  object: InventoryObject;
  /**
   * Which of the object's pod templates this is, for kinds that carry several (a RayCluster's
   * head and worker groups, a JobSet's replicated jobs): the path of the part from spec, e.g.
   * `workerGroupSpecs[1]` or `mpiReplicaSpecs.Worker`. Undefined for kinds with one pod spec.
   */
  part?: string;
  /** Set when the operator names the pods' ServiceAccount if the template does not. */
  operatorServiceAccount?: OperatorServiceAccount;
  /** The pod (template) metadata; {} when absent. */
  meta: Record<string, unknown>;
  /** The pod spec; already checked to be a mapping with well-typed container lists. */
  spec: Record<string, unknown>;
  /** Path from the object root to the pod metadata, e.g. ['spec','template','metadata']. */
  metaPath: PathSegment[];
  /** Path from the object root to the pod spec, e.g. ['spec','template','spec']. */
  specPath: PathSegment[];
}

export type ContainerListName = 'initContainers' | 'containers' | 'ephemeralContainers';

/** A container of a pod spec with its place in the object. */
export interface ContainerRef {
  container: Record<string, unknown>;
  list: ContainerListName;
  index: number;
  /** Path from the object root to this container. */
  path: PathSegment[];
  name: string;
}

/** Problems found while reading inputs. `error`: something could not be read; `warning`: read, but suspicious. */
export interface InputProblem {
  source: string;
  line?: number;
  column?: number;
  message: string;
  level: 'error' | 'warning';
}

/** Formats a path the way findings show it: spec.containers[0].securityContext. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  // Built piece by piece; findings keep it, so keep it as one string (see compact-strings.ts).
  return flatString(out);
}

/**
 * The segments `formatPath` wrote, read back exactly: `[3]` is the number 3, `["0"]` the
 * string "0", `.name` and a leading `name` are names. Findings keep the text; the segments are
 * read again only where a position is looked for, instead of holding an array per finding.
 */
export function parsePath(text: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      if (text[i + 1] === '"') {
        // A JSON string: its end is the first quote not escaped by a backslash.
        let j = i + 2;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        out.push(JSON.parse(text.slice(i + 1, j + 1)) as string);
        i = j + 2; // past `"]`
      } else {
        const end = text.indexOf(']', i);
        out.push(Number(text.slice(i + 1, end)));
        i = end + 1;
      }
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/** RFC 6901 JSON pointer for a path, for JSON-patch fixes. */
export function jsonPointer(path: readonly PathSegment[]): string {
  return path.map((seg) => '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a nested field; undefined when any step is missing or of the wrong shape. */
export function getPath(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (!isMapping(cur)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}

/** "Deployment prod/web" — how messages name a resource. */
export function describeObject(obj: InventoryObject): string {
  return obj.namespace ? `${obj.kind} ${obj.namespace}/${obj.name}` : `${obj.kind} ${obj.name}`;
}

/** "RayCluster ml/ray (workerGroupSpecs[0])" — how messages name one pod template of a resource. */
export function describePod(pod: Pick<PodTarget, 'object' | 'part'>): string {
  return pod.part === undefined ? describeObject(pod.object) : `${describeObject(pod.object)} (${pod.part})`;
}

/** How many objects these pod targets belong to: an object with several templates counts once. */
export function countObjects(pods: readonly Pick<PodTarget, 'object'>[]): number {
  return new Set(pods.map((p) => p.object)).size;
}
