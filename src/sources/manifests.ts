// Manifests source: files, folders (recursively: .yaml, .yml, .json) and `-` for stdin,
// turned into an Inventory. Every input problem is recorded with the file (and line) and
// the rest of the input is still read.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Inventory, toInventoryObject } from '../inventory/inventory.js';
import { isMapping } from '../inventory/model.js';
import { firstContentLine, parseDocument, splitDocuments } from '../inventory/yaml.js';

export const STDIN_NAME = '<stdin>';
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
  let nextId = 0;

  const readInto = (file: string, text: string, explicit: boolean) => {
    const before = inventory.size;
    nextId = addText(inventory, file, text, nextId);
    if (inventory.size === before && !inventory.problems.some((p) => p.source === file && p.level === 'error')) {
      inventory.problems.push({
        source: file,
        message: text.trim() === '' ? 'file is empty: no Kubernetes objects in it' : 'no Kubernetes objects in this file',
        // A folder may hold values files and such; a file the user named must hold objects.
        level: explicit ? 'error' : 'warning',
      });
    }
  };

  for (const input of inputs) {
    if (input === '-') {
      const text = await (options.readStdin ?? readStdin)();
      texts.set(STDIN_NAME, text);
      files.push(STDIN_NAME);
      readInto(STDIN_NAME, text, true);
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(input);
    } catch (err) {
      inventory.problems.push({ source: input, message: describeFsError(err), level: 'error' });
      continue;
    }
    const found = stat.isDirectory() ? await listManifestFiles(input, inventory) : [input];
    if (stat.isDirectory() && found.length === 0) {
      inventory.problems.push({ source: input, message: 'folder holds no .yaml, .yml or .json files', level: 'warning' });
    }
    for (const file of found) {
      files.push(file);
      const text = await readManifestFile(file, maxBytes, inventory);
      if (text !== undefined) readInto(file, text, !stat.isDirectory());
    }
  }
  return { inventory, files, texts };
}

/** Parses a whole YAML/JSON text into the inventory. Returns the next free object id. */
export function addText(inventory: Inventory, file: string, text: string, nextId: number): number {
  for (const chunk of splitDocuments(text)) {
    const parsed = parseDocument(chunk);
    if (!parsed.ok) {
      inventory.problems.push({ source: file, line: parsed.line, column: parsed.column, message: parsed.message, level: 'error' });
      continue;
    }
    for (const w of parsed.warnings) {
      inventory.problems.push({ source: file, line: w.line, column: w.column, message: w.message, level: 'warning' });
    }
    const value = parsed.value;
    if (value === null || value === undefined) continue; // an empty document, as kubectl skips it
    const contentLine = firstContentLine(chunk);
    const items = listItems(value);
    const entries = items ?? [{ value, pathInDoc: [] as (string | number)[] }];
    for (const { value: item, pathInDoc } of entries) {
      const result = toInventoryObject(item, { file, doc: chunk.index, line: contentLine, pathInDoc }, nextId);
      if ('problem' in result) {
        const where = pathInDoc.length ? `items[${pathInDoc[1]}]: ` : '';
        inventory.problems.push({ source: file, line: contentLine, message: where + result.problem, level: 'error' });
        continue;
      }
      inventory.add(result.object);
      nextId++;
    }
  }
  return nextId;
}

/** `kind: List` and every `*List` kind with `items` hold objects, which we read one by one. */
function listItems(value: unknown): { value: unknown; pathInDoc: (string | number)[] }[] | undefined {
  if (!isMapping(value) || typeof value.kind !== 'string' || !value.kind.endsWith('List')) return undefined;
  if (!Array.isArray(value.items)) return undefined;
  return value.items.map((item, i) => ({ value: item, pathInDoc: ['items', i] }));
}

async function listManifestFiles(dir: string, inventory: Inventory): Promise<string[]> {
  const out: string[] = [];
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
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      out.push(...(await listManifestFiles(full, inventory)));
    } else if ((entry.isFile() || entry.isSymbolicLink()) && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      out.push(full);
    }
  }
  return out;
}

async function readManifestFile(file: string, maxBytes: number, inventory: Inventory): Promise<string | undefined> {
  let handle;
  try {
    handle = await fs.open(file, 'r');
    const { size } = await handle.stat();
    if (size > maxBytes) {
      inventory.problems.push({
        source: file,
        message: `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit; not read (raise it with --max-file-size)`,
        level: 'error',
      });
      return undefined;
    }
    const buf = await handle.readFile();
    if (looksBinary(buf)) {
      inventory.problems.push({ source: file, message: 'binary file (it contains NUL bytes), not YAML or JSON; not read', level: 'error' });
      return undefined;
    }
    return buf.toString('utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    inventory.problems.push({ source: file, message: describeFsError(err), level: 'error' });
    return undefined;
  } finally {
    await handle?.close();
  }
}

function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder, expected a file';
    case 'ELOOP': return 'too many symbolic links';
    default: return `could not read: ${e?.message ?? String(err)}`;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
