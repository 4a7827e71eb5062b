// Manifests source: files, folders (recursively: .yaml, .yml, .json) and `-` for stdin,
// turned into an Inventory. Every input problem is recorded with the file (and line) and
// the rest of the input is still read.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inventory } from '../inventory/inventory.js';
import { STDIN_NAME } from '../inventory/model.js';
import { addParsed, parseManifestText, type ParsedManifest } from '../inventory/parse-manifest.js';
import { describeFsError, readManifestText } from './read-file.js';

export { describeFsError, formatBytes } from './read-file.js';

export const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface ManifestSourceOptions {
  /** Files larger than this are not read (an error names them). */
  maxFileBytes?: number;
  /** Reads stdin when `-` is given; injectable for tests. */
  readStdin?: () => Promise<string>;
}

/** Texts that were not read from a file the position finder can reopen (stdin). */
export type TextCache = Map<string, string>;

export interface LoadedManifests {
  inventory: Inventory;
  /** Files that were read (after expanding folders). */
  files: string[];
  texts: TextCache;
}

export async function loadManifests(inputs: string[], options: ManifestSourceOptions = {}): Promise<LoadedManifests> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const inventory = new Inventory();
  const texts: TextCache = new Map();
  const files: string[] = [];

  // First every input's files, in order; then parse them (in worker threads when it pays).
  const units: ({ kind: 'stdin'; text: string } | { kind: 'file'; file: string; explicit: boolean; size: number })[] = [];
  for (const input of inputs) {
    if (input === '-') {
      const text = await (options.readStdin ?? readStdin)();
      texts.set(STDIN_NAME, text);
      files.push(STDIN_NAME);
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
    const found = stat.isDirectory() ? await listManifestFiles(input, inventory) : [{ file: input, size: stat.size }];
    if (stat.isDirectory() && found.length === 0) {
      inventory.problems.push({ source: input, message: 'folder holds no .yaml, .yml or .json files', level: 'warning' });
    }
    for (const { file, size } of found) {
      files.push(file);
      units.push({ kind: 'file', file, explicit: !stat.isDirectory(), size });
    }
  }

  const fileUnits = units.filter((u) => u.kind === 'file');
  const parsed = await parseFiles(fileUnits.map((u) => ({ file: u.file, size: u.size })), maxBytes);
  let nextId = 0;
  let fileIndex = 0;
  for (const unit of units) {
    const result: FileResult = unit.kind === 'stdin'
      ? { parsed: parseManifestText(STDIN_NAME, unit.text), empty: unit.text.trim() === '' }
      : (parsed[fileIndex++] as FileResult);
    const source = unit.kind === 'stdin' ? STDIN_NAME : unit.file;
    if ('problem' in result) {
      inventory.problems.push({ source, message: result.problem, level: 'error' });
      continue;
    }
    if (unit.kind === 'file' && result.mode !== undefined) inventory.fileModes.set(unit.file, result.mode);
    const before = inventory.size;
    nextId = addParsed(inventory, result.parsed, nextId);
    if (inventory.size === before && !result.parsed.problems.some((p) => p.level === 'error')) {
      inventory.problems.push({
        source,
        message: result.empty ? 'file is empty: no Kubernetes objects in it' : 'no Kubernetes objects in this file',
        // A folder may hold values files and such; a file the user named must hold objects.
        level: unit.kind === 'stdin' || unit.explicit ? 'error' : 'warning',
      });
    }
  }
  return { inventory, files, texts };
}

type FileResult = { parsed: ParsedManifest; empty: boolean; mode?: number } | { problem: string };

/** Below this much input, starting worker threads costs more than it saves. */
const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

async function parseFiles(files: { file: string; size: number }[], maxBytes: number): Promise<FileResult[]> {
  const threads = Math.min(os.availableParallelism(), 4, files.length);
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  if (threads >= 2 && totalBytes >= PARALLEL_MIN_BYTES) {
    try {
      return await parseInWorkers(files, maxBytes, threads);
    } catch {
      // Workers unavailable (a restricted runtime): parse here instead.
    }
  }
  const results: FileResult[] = [];
  for (const { file } of files) results.push(await parseFile(file, maxBytes));
  return results;
}

async function parseFile(file: string, maxBytes: number): Promise<FileResult> {
  const read = await readManifestText(file, maxBytes);
  if ('problem' in read) return read;
  return { parsed: parseManifestText(file, read.text), empty: read.text.trim() === '', mode: read.mode };
}

/**
 * Parses files in a pool of worker threads; results come back in the files' order. The
 * largest files go first, so one big file does not finish last on an otherwise idle pool.
 */
function parseInWorkers(files: { file: string; size: number }[], maxBytes: number, threads: number): Promise<FileResult[]> {
  const results: FileResult[] = new Array(files.length);
  const order = files.map((_, i) => i).sort((a, b) => (files[b] as { size: number }).size - (files[a] as { size: number }).size);
  let next = 0;
  const workers: Worker[] = [];
  const run = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./parse-worker.js', import.meta.url));
      workers.push(worker);
      let current = -1;
      const feed = () => {
        if (next >= files.length) {
          void worker.terminate();
          resolve();
          return;
        }
        current = order[next++] as number;
        worker.postMessage({ file: (files[current] as { file: string }).file, maxBytes });
      };
      worker.on('message', (m: { problem?: string; parsed?: ParsedManifest; empty?: boolean; mode?: number }) => {
        results[current] = m.problem !== undefined ? { problem: m.problem } : { parsed: m.parsed as ParsedManifest, empty: m.empty === true, mode: m.mode };
        feed();
      });
      worker.on('error', reject);
      feed();
    });
  return Promise.all(Array.from({ length: threads }, run)).then(
    () => results,
    (err) => {
      for (const w of workers) void w.terminate();
      throw err;
    },
  );
}

/** Parses a whole YAML/JSON text into the inventory. Returns the next free object id. */
async function listManifestFiles(dir: string, inventory: Inventory): Promise<{ file: string; size: number }[]> {
  const out: { file: string; size: number }[] = [];
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    inventory.problems.push({ source: dir, message: describeFsError(err), level: 'error' });
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Hidden entries hold tool settings, not manifests: .kubeharden.yaml itself, .github
    // workflows, .gitlab-ci.yml, .pre-commit-config.yaml. A hidden file named on the command
    // line is still read.
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      out.push(...(await listManifestFiles(full, inventory)));
    } else if ((entry.isFile() || entry.isSymbolicLink()) && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      out.push({ file: full, size: await fileSize(full) });
    }
  }
  return out;
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0; // reading it will say why
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
