// Which files a kustomization reads (resources, patches, components, generators' files…),
// so a folder scan renders each root once and does not also scan its pieces one by one: a
// strategic-merge patch is half a Deployment and would be judged as a whole one.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { KUSTOMIZATION_FILES } from './walk.js';

export interface KustomizeRefs {
  /** Kustomization folders it builds on (resources, bases, components that are folders). */
  dirs: string[];
  /** Files it reads, the kustomization file itself included. */
  files: string[];
}

/** Fields holding a path or a list of paths (or inline YAML, told apart by a newline). */
const PATH_LIST_FIELDS = ['resources', 'bases', 'components', 'crds', 'configurations', 'transformers', 'generators', 'validators', 'patchesStrategicMerge'];
/** Fields holding a list of objects with a `path`. */
const PATH_OBJECT_FIELDS = ['patches', 'patchesJson6902', 'replacements'];
const GENERATOR_FIELDS = ['configMapGenerator', 'secretGenerator'];

export async function kustomizationFile(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    try {
      await fs.access(path.join(dir, name));
      return path.join(dir, name);
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

export async function kustomizeRefs(dir: string): Promise<KustomizeRefs> {
  const file = await kustomizationFile(dir);
  const refs: KustomizeRefs = { dirs: [], files: [] };
  if (!file) return refs;
  refs.files.push(file);
  let doc: Record<string, unknown>;
  try {
    doc = (jsYaml.load(await fs.readFile(file, 'utf8'), { schema: jsYaml.CORE_SCHEMA }) ?? {}) as Record<string, unknown>;
  } catch {
    return refs; // kustomize will say what is wrong with it
  }
  const paths: string[] = [];
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  for (const field of PATH_LIST_FIELDS) paths.push(...strings(doc[field]));
  for (const field of PATH_OBJECT_FIELDS) {
    if (!Array.isArray(doc[field])) continue;
    for (const item of doc[field] as unknown[]) {
      const p = (item as { path?: unknown } | null)?.path;
      if (typeof p === 'string') paths.push(p);
    }
  }
  for (const field of GENERATOR_FIELDS) {
    if (!Array.isArray(doc[field])) continue;
    for (const gen of doc[field] as Record<string, unknown>[]) {
      // `files` entries may be `key=path`.
      paths.push(...strings(gen?.files).map((f) => f.slice(f.indexOf('=') + 1)), ...strings(gen?.envs));
      if (typeof gen?.env === 'string') paths.push(gen.env);
    }
  }
  const openapi = (doc.openapi as { path?: unknown } | undefined)?.path;
  if (typeof openapi === 'string') paths.push(openapi);

  for (const p of paths) {
    if (p.includes('\n') || /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('github.com/')) continue; // inline YAML or remote
    const full = path.resolve(dir, p);
    try {
      const stat = await fs.stat(full);
      (stat.isDirectory() ? refs.dirs : refs.files).push(full);
    } catch {
      // a missing file: kustomize says so when building
    }
  }
  return refs;
}

/**
 * Of the kustomization folders found, the roots (not built on by another one found) and
 * every file any of them reads, transitively, as absolute paths.
 */
export async function kustomizeRoots(found: string[]): Promise<{ roots: string[]; consumed: Set<string>; consumedDirs: Set<string> }> {
  const consumed = new Set<string>();
  const referenced = new Set<string>();
  const seen = new Set<string>();
  const queue = found.map((d) => path.resolve(d));
  while (queue.length) {
    const dir = queue.pop() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const refs = await kustomizeRefs(dir);
    for (const f of refs.files) consumed.add(f);
    for (const d of refs.dirs) {
      referenced.add(d);
      queue.push(d);
    }
  }
  return { roots: found.filter((d) => !referenced.has(path.resolve(d))), consumed, consumedDirs: referenced };
}
