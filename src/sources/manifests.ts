// Manifests source: files, folders (recursively: .yaml, .yml, .json; Helm charts and
// Kustomize roots rendered by the real tools) and `-` for stdin,
// turned into an Inventory. Every input problem is recorded with the file (and line) and
// the rest of the input is still read.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inventory } from '../inventory/inventory.js';
import { STDIN_NAME } from '../inventory/model.js';
import { addParsed, parseManifestText, type ParsedManifest } from '../inventory/parse-manifest.js';
import { hasContent } from '../inventory/yaml.js';
import { describeFsError, readManifestText } from './read-file.js';
import { walkFolder, type SkippedInput, type WalkOptions } from './walk.js';
import { renderChart, renderKustomization, type RenderOptions } from './render.js';
import { kustomizeRoots } from './kustomize-refs.js';

export { describeFsError, formatBytes } from './read-file.js';

export const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface ManifestSourceOptions extends WalkOptions, RenderOptions {
  /** Files larger than this are not read (an error names them). */
  maxFileBytes?: number;
  /** Reads stdin when `-` is given; injectable for tests. */
  readStdin?: () => Promise<string>;
  /** Counters the caller may show as progress while a large input is read. */
  progress?: { files: number; objects: number };
}

/** Texts that were not read from a file the position finder can reopen (stdin, rendered output). */
export type TextCache = Map<string, string>;

export interface LoadedManifests {
  inventory: Inventory;
  /** Files that were read (after expanding folders), and the charts and kustomizations rendered. */
  files: string[];
  texts: TextCache;
  /** What a folder scan left out, and why: not Kubernetes, excluded, ignored, a library chart. */
  skipped: SkippedInput[];
}

type Unit =
  | { kind: 'stdin'; text: string }
  | { kind: 'file'; file: string; explicit: boolean; size: number }
  | { kind: 'chart'; dir: string }
  | { kind: 'kustomization'; dir: string };

export async function loadManifests(inputs: string[], options: ManifestSourceOptions = {}): Promise<LoadedManifests> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const inventory = new Inventory();
  const texts: TextCache = new Map();
  const files: string[] = [];
  const skipped: SkippedInput[] = [];

  // First every input's files, in order; then parse them (in worker threads when it pays).
  let units: Unit[] = [];
  const kustomizations: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      const text = await (options.readStdin ?? readStdin)();
      texts.set(STDIN_NAME, text);
      units.push({ kind: 'stdin', text });
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(input);
    } catch (err) {
      inventory.problems.push({ source: input, message: describeFsError(err), level: 'error' });
      continue;
    }
    if (!stat.isDirectory()) {
      units.push({ kind: 'file', file: input, explicit: true, size: stat.size });
      continue;
    }
    const walked = await walkFolder(input, options);
    inventory.problems.push(...walked.problems);
    skipped.push(...walked.skipped);
    for (const { file, size } of walked.files) units.push({ kind: 'file', file, explicit: false, size });
    for (const dir of walked.charts) units.push({ kind: 'chart', dir });
    kustomizations.push(...walked.kustomizations);
    if (walked.files.length + walked.charts.length + walked.kustomizations.length === 0 && walked.problems.length === 0) {
      inventory.problems.push({ source: input, message: 'folder holds no .yaml, .yml or .json files, Helm charts or kustomizations (after exclusions)', level: 'warning' });
    }
  }
  if (kustomizations.length) {
    // Each kustomization root is built once; the files it reads are not also scanned alone.
    const { roots, consumed, consumedDirs } = await kustomizeRoots(kustomizations);
    units = units.filter((u) => u.kind !== 'file' || u.explicit || !consumed.has(path.resolve(u.file)));
    for (const dir of kustomizations) if (consumedDirs.has(path.resolve(dir))) skipped.push({ source: dir, reason: 'built as part of another kustomization' });
    for (const dir of roots) units.push({ kind: 'kustomization', dir });
  }

  const fileUnits = units.filter((u): u is Extract<Unit, { kind: 'file' }> => u.kind === 'file');
  const parsed = await parseFiles(fileUnits.map((u) => ({ file: u.file, size: u.size })), maxBytes, options.progress);
  let nextId = 0;
  let fileIndex = 0;
  const manifestFolders = new Set<string>();
  const unparsed: { source: string; problems: ParsedManifest['problems']; reason: string }[] = [];
  for (const unit of units) {
    if (unit.kind === 'chart' || unit.kind === 'kustomization') {
      const rendered = unit.kind === 'chart' ? await renderChart(unit.dir, options) : await renderKustomization(unit.dir);
      if (!rendered.ok) {
        inventory.problems.push({ source: unit.dir, message: rendered.problem, level: 'error' });
        continue;
      }
      files.push(rendered.name);
      texts.set(rendered.name, rendered.text);
      const result = parseManifestText(rendered.name, rendered.text);
      nextId = addParsed(inventory, result, nextId, rendered.origin, options.namespace);
      continue;
    }
    const source = unit.kind === 'stdin' ? STDIN_NAME : unit.file;
    files.push(source);
    const result: FileResult = unit.kind === 'stdin'
      ? { parsed: parseManifestText(STDIN_NAME, unit.text), empty: !hasContent(unit.text) }
      : takeResult(parsed, fileIndex++);
    if ('problem' in result) {
      inventory.problems.push({ source, message: result.problem, level: 'error' });
      continue;
    }
    if (unit.kind === 'file' && result.mode !== undefined) inventory.fileModes.set(unit.file, result.mode);
    const explicit = unit.kind === 'stdin' || unit.explicit;
    const notKubernetes = !explicit && notKubernetesReason(result);
    if (notKubernetes) {
      if (result.parsed.syntaxErrors > 0) unparsed.push({ source, problems: result.parsed.problems, reason: notKubernetes });
      else skipped.push({ source, reason: notKubernetes });
      continue;
    }
    if (result.parsed.objects.length) manifestFolders.add(path.dirname(source));
    const before = inventory.size;
    try {
      nextId = addParsed(inventory, result.parsed, nextId, undefined, options.namespace);
    } catch (err) {
      // A bug must cost this file, never the scan of the others.
      inventory.problems.push({ source, message: `could not read: ${(err as Error)?.message ?? String(err)}`, level: 'error' });
      continue;
    }
    if (inventory.size === before && !result.parsed.problems.some((p) => p.level === 'error')) {
      inventory.problems.push({
        source,
        message: result.empty ? 'file is empty: no Kubernetes objects in it' : 'no Kubernetes objects in this file',
        // A file the user named must hold objects.
        level: explicit ? 'error' : 'warning',
      });
    }
  }
  // YAML that does not parse, in a folder whose other files are manifests, was meant as one.
  for (const u of unparsed) {
    if (manifestFolders.has(path.dirname(u.source))) inventory.problems.push(...u.problems);
    else skipped.push({ source: u.source, reason: u.reason });
  }
  if (options.progress) options.progress.objects = inventory.size;
  return { inventory, files, texts, skipped };
}

/**
 * Why a file found in a folder is not read as Kubernetes, or false when it is. A file with
 * no document that has a `kind` (package.json, a compose file, values.yaml) is not meant as
 * Kubernetes; one that does not parse is skipped only when nothing in it says Kubernetes.
 */
function notKubernetesReason(result: { parsed: ParsedManifest; empty: boolean }): string | false {
  const p = result.parsed;
  if (result.empty) return 'empty file';
  if (p.kindDocs > 0 || p.objects.length > 0) return false;
  if (p.syntaxErrors > 0) return p.mentionsKind ? false : 'not valid YAML or JSON, and no top-level apiVersion or kind: not a Kubernetes manifest';
  return p.notKubernetes > 0 ? 'no apiVersion/kind: not a Kubernetes object' : false;
}

type FileResult = { parsed: ParsedManifest; empty: boolean; mode?: number } | { problem: string };

/**
 * A file's parse result, released from the results array as it is taken: each holds its
 * objects as JSON text, which would otherwise stay in memory beside the inventory built from
 * it until the scan ends (the worker pool's message handlers still reach the array, and the
 * checks run without the event loop turning: measured, 75 of 158 MiB of heap at 10x).
 */
function takeResult(results: (FileResult | undefined)[], index: number): FileResult {
  const result = results[index] as FileResult;
  results[index] = undefined;
  return result;
}

/** Below this much input, starting a worker thread costs more than it saves. */
const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

async function parseFiles(files: { file: string; size: number }[], maxBytes: number, progress?: { files: number }): Promise<(FileResult | undefined)[]> {
  // The main thread parses too, so one core gets no worker: with two cores, one worker.
  const workers = Math.min(os.availableParallelism(), 4, files.length) - 1;
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  if (workers >= 1 && totalBytes >= PARALLEL_MIN_BYTES) {
    try {
      return await parseInParallel(files, maxBytes, workers, progress);
    } catch {
      // Workers unavailable (a restricted runtime): parse here instead.
    }
  }
  const results: FileResult[] = [];
  for (const { file } of files) {
    results.push(await parseFile(file, maxBytes));
    if (progress) progress.files++;
  }
  return results;
}

async function parseFile(file: string, maxBytes: number): Promise<FileResult> {
  const read = await readManifestText(file, maxBytes);
  if ('problem' in read) return read;
  try {
    return { parsed: parseManifestText(file, read.text, read.byteBase), empty: !hasContent(read.text), mode: read.mode };
  } catch (err) {
    return { problem: `could not read: ${(err as Error)?.message ?? String(err)}` };
  }
}

/**
 * Parses files in worker threads and in this thread at once; results come back in the files'
 * order. Workers take the largest files first, this thread the smallest, until they meet, so
 * one big file does not finish last and this thread (which also takes the workers' answers)
 * is never long inside one file. Each worker is given its next file before it has finished the
 * one it has, so it does not wait on this thread. Measured against a pool of two workers with
 * this thread waiting: less CPU time (one isolate fewer to start and warm up) and less memory.
 */
function parseInParallel(files: { file: string; size: number }[], maxBytes: number, workerCount: number, progress?: { files: number }): Promise<FileResult[]> {
  const results: FileResult[] = new Array(files.length);
  const order = files.map((_, i) => i).sort((a, b) => (files[b] as { size: number }).size - (files[a] as { size: number }).size);
  let next = 0; // workers take order[next++]
  let last = order.length - 1; // this thread takes order[last--]
  const workers: Worker[] = [];
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      // No flags of the main thread's: some cannot start a thread (--input-type), and none is needed.
      const worker = new Worker(new URL('./parse-worker.js', import.meta.url), { execArgv: [] });
      workers.push(worker);
      let inFlight = 0;
      const feed = () => {
        while (inFlight < 2 && next <= last) {
          const index = order[next++] as number;
          inFlight++;
          worker.postMessage({ id: index, file: (files[index] as { file: string }).file, maxBytes });
        }
        if (inFlight === 0) {
          void worker.terminate();
          resolve();
        }
      };
      worker.on('message', (m: { id: number; problem?: string; parsed?: ParsedManifest; empty?: boolean; mode?: number }) => {
        if (progress) progress.files++;
        inFlight--;
        // Answers come back in any order (the worker reads its next file while it parses): the id says which file this is.
        results[m.id] = m.problem !== undefined ? { problem: m.problem } : { parsed: m.parsed as ParsedManifest, empty: m.empty === true, mode: m.mode };
        feed();
      });
      worker.on('error', reject);
      feed();
    });
  const runHere = async () => {
    while (next <= last) {
      const index = order[last--] as number;
      results[index] = await parseFile((files[index] as { file: string }).file, maxBytes);
      if (progress) progress.files++;
    }
  };
  return Promise.all([runHere(), ...Array.from({ length: workerCount }, runWorker)]).then(
    () => results,
    (err) => {
      for (const w of workers) void w.terminate();
      throw err;
    },
  );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
