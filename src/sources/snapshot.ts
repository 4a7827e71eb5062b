// Snapshots: what a cluster scan read, saved as one JSON file (`kubeharden collect`), so the
// same scan can be repeated offline (`kubeharden scan SNAPSHOT.json`) with the same result.
// The file keeps each object with the source it was read from and the kinds that could not
// be read, so the offline scan skips exactly the checks the live scan skipped.

import { constants, promises as fs } from 'node:fs';
import { writeFileAtomically, WriteError } from './atomic-write.js';
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
  // A snapshot holds the cluster's configuration: private to its owner (mode 600) when new.
  // A symbolic link at its name is refused, as for every report output.
  try {
    await writeFileAtomically(file, async (write) => {
      await write(`{"apiVersion":${JSON.stringify(SNAPSHOT_API_VERSION)},"kind":${JSON.stringify(SNAPSHOT_KIND)},`);
      await write(`"createdAt":${JSON.stringify(now.toISOString())},"tool":${JSON.stringify({ name: 'kubeharden', version: TOOL_VERSION })},\n`);
      await write(`"cluster":${JSON.stringify(read.cluster)},\n"problems":${JSON.stringify(read.inventory.problems)},\n"objects":[`);
      let first = true;
      for (const obj of read.inventory.objects) {
        await write(`${first ? '\n' : ',\n'}${JSON.stringify({ source: obj.source.file, object: obj.raw })}`);
        first = false;
      }
      await write('\n]}\n');
    }, { symlinks: 'refuse', newFileMode: 0o600 });
  } catch (err) {
    throw new SnapshotError(`could not write snapshot ${file}: ${err instanceof WriteError ? err.message.replace(/^cannot write [^:]*: /, '') : describeFsError(err)}`);
  }
}

/** True when the file starts like a snapshot (its kind is among the first bytes). */
export async function isSnapshotFile(file: string): Promise<boolean> {
  let handle;
  try {
    // Non-blocking, so a FIFO at the path is answered at once (not a snapshot) instead of hanging.
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
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
  const cluster = clusterInfoOf(value.cluster);
  const inventory = new Inventory();
  for (const unavailable of cluster.unavailable) inventory.unavailable.set(unavailable.kind, unavailable);
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

/**
 * The cluster part of a snapshot, field by field: a file edited by hand or by someone else may
 * lack a field or give it another type, and the scan reports what is there rather than failing.
 */
function clusterInfoOf(raw: Record<string, unknown>): ClusterInfo {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const counts = (v: unknown): Record<string, number> =>
    Object.fromEntries(Object.entries(isMapping(v) ? v : {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
  const version = isMapping(raw.version) && typeof raw.version.gitVersion === 'string' ? raw.version : undefined;
  return {
    context: text(raw.context),
    server: text(raw.server),
    ...(typeof raw.namespace === 'string' ? { namespace: raw.namespace } : {}),
    ...(version ? { version: { gitVersion: text(version.gitVersion), major: text(version.major), minor: text(version.minor) } } : {}),
    objects: counts(raw.objects),
    ownedByScannedControllers: counts(raw.ownedByScannedControllers),
    unavailable: (Array.isArray(raw.unavailable) ? raw.unavailable : []).flatMap((u: unknown) =>
      isMapping(u) && typeof u.kind === 'string' && typeof u.reason === 'string'
        ? [{ kind: u.kind, reason: u.reason, ...(typeof u.permission === 'string' ? { permission: u.permission } : {}) }]
        : [],
    ),
  };
}
