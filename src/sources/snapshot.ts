// Snapshots: what a cluster scan read, saved as one JSON file (`kubeharden collect`), so the
// same scan can be repeated offline (`kubeharden scan SNAPSHOT.json`) with the same result.
// The file keeps each object with the source it was read from and the kinds that could not
// be read, so the offline scan skips exactly the checks the live scan skipped.

import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { Inventory, toInventoryObject } from '../inventory/inventory.js';
import { isMapping } from '../inventory/model.js';
import { TOOL_VERSION } from '../version.js';
import type { ClusterInfo, ClusterRead } from './cluster/source.js';
import { describeFsError } from './manifests.js';

const SNAPSHOT_KIND = 'KubehardenSnapshot';
const SNAPSHOT_API_VERSION = 'kubeharden.io/v1';

export class SnapshotError extends Error {}

export interface LoadedSnapshot extends ClusterRead {
  createdAt: string;
}

/**
 * Writes the snapshot one object per line (never the whole file as one string), to a
 * temporary file renamed over the target when complete.
 */
export async function writeSnapshot(file: string, read: ClusterRead, now = new Date()): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const out = createWriteStream(temporary, { encoding: 'utf8', mode: 0o600 });
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve)));
  try {
    await write(`{"apiVersion":${JSON.stringify(SNAPSHOT_API_VERSION)},"kind":${JSON.stringify(SNAPSHOT_KIND)},`);
    await write(`"createdAt":${JSON.stringify(now.toISOString())},"tool":${JSON.stringify({ name: 'kubeharden', version: TOOL_VERSION })},\n`);
    await write(`"cluster":${JSON.stringify(read.cluster)},\n"problems":${JSON.stringify(read.inventory.problems)},\n"objects":[`);
    let first = true;
    for (const obj of read.inventory.objects) {
      await write(`${first ? '\n' : ',\n'}${JSON.stringify({ source: obj.source.file, object: obj.raw })}`);
      first = false;
    }
    await write('\n]}\n');
    out.end();
    await finished(out);
    await fs.rename(temporary, file);
  } catch (err) {
    out.destroy();
    await fs.rm(temporary, { force: true });
    throw new SnapshotError(`could not write snapshot ${file}: ${describeFsError(err)}`);
  }
}

/** True when the file starts like a snapshot (its kind is among the first bytes). */
export async function isSnapshotFile(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(file, 'r');
    if (!(await handle.stat()).isFile()) return false;
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return new RegExp(`"kind"\\s*:\\s*"${SNAPSHOT_KIND}"`).test(head.subarray(0, bytesRead).toString('utf8'));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

export async function readSnapshot(file: string): Promise<LoadedSnapshot> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? `not valid JSON (${err.message})` : describeFsError(err);
    throw new SnapshotError(`snapshot ${file}: ${why}`);
  }
  if (!isMapping(value) || value.kind !== SNAPSHOT_KIND) throw new SnapshotError(`${file} is not a kubeharden snapshot (kind ${SNAPSHOT_KIND})`);
  if (value.apiVersion !== SNAPSHOT_API_VERSION) {
    throw new SnapshotError(`snapshot ${file} has apiVersion ${String(value.apiVersion)}; this kubeharden reads ${SNAPSHOT_API_VERSION}`);
  }
  if (!isMapping(value.cluster) || !Array.isArray(value.objects)) throw new SnapshotError(`snapshot ${file} has no cluster or objects`);
  const cluster = value.cluster as unknown as ClusterInfo;
  const inventory = new Inventory();
  for (const unavailable of Array.isArray(cluster.unavailable) ? cluster.unavailable : []) {
    if (isMapping(unavailable) && typeof unavailable.kind === 'string' && typeof unavailable.reason === 'string') {
      inventory.unavailable.set(unavailable.kind, unavailable);
    }
  }
  for (const problem of Array.isArray(value.problems) ? value.problems : []) {
    if (isMapping(problem) && typeof problem.source === 'string' && typeof problem.message === 'string') {
      inventory.problems.push({ source: problem.source, message: problem.message, level: problem.level === 'warning' ? 'warning' : 'error' });
    }
  }
  value.objects.forEach((entry, index) => {
    const source = isMapping(entry) && typeof entry.source === 'string' ? entry.source : `${file}#objects[${index}]`;
    const read = toInventoryObject(isMapping(entry) ? entry.object : undefined, { file: source, doc: 0, line: 0, pathInDoc: [] }, index);
    if ('object' in read) inventory.add(read.object);
    else inventory.problems.push({ source: `${file}#objects[${index}]`, message: read.problem, level: 'error' });
  });
  return { inventory, cluster, createdAt: typeof value.createdAt === 'string' ? value.createdAt : '' };
}
