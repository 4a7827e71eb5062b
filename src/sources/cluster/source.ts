// The live-cluster source: reads every resource the checks need from the API server into an
// Inventory, a page at a time, a few resources at once. What it could not read is recorded on
// the inventory (`unavailable`), so the checks that need it say skip with the reason.
//
// Controllers before what they own: a Pod made by a ReplicaSet made by a Deployment is checked
// through the Deployment's pod template; checking the Pod and the ReplicaSet too would repeat
// every finding three times. So ReplicaSets, Jobs and Pods are listed after the controllers,
// and one whose controlling owner (by uid) was listed is left out. Bare Pods, and objects whose
// owner the scan could not read or does not list (a custom operator), are scanned.

import { Inventory, keptCopy, keptToInventoryObject, type UnavailableKind } from '../../inventory/inventory.js';
import { isMapping } from '../../inventory/model.js';
import { isPodBearing } from '../../inventory/pod-specs.js';
import { apiServerVersionObject, isVersionAnswer } from '../../analysis/cluster/api-server-version.js';
import { ApiClient, ApiError, RequestFailed, type ApiClientOptions } from './client.js';
import { ClusterSourceError, loadKubeConfig, type KubeConfigOptions } from './kubeconfig.js';
import { listResource, withThrottleRetries, type ListOptions } from './list.js';
import { CLUSTER_RESOURCES, apiVersionOf, listPermission, resourceName, type ApiResource } from './resources.js';

const CLUSTER_SOURCE_PREFIX = 'cluster://';
const DEFAULT_CONCURRENCY = 4;

/** Annotations left out of every object: a copy of the whole object as applied (for a Secret, its values). */
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

export interface ClusterReadOptions extends KubeConfigOptions, ApiClientOptions, Pick<ListOptions, 'pageSize' | 'sleep' | 'maxPages' | 'listDeadlineMs'> {
  /** Read namespaced resources of this namespace only. */
  namespace?: string;
  /** Resources listed at once. */
  concurrency?: number;
  onProgress?: (progress: ClusterProgress) => void;
}

export interface ClusterProgress {
  resource: string;
  resourcesDone: number;
  resourcesTotal: number;
  objects: number;
}

export interface ServerVersion {
  gitVersion: string;
  major: string;
  minor: string;
}

/** What the scan read from the cluster, besides the objects: for the Result's target and snapshots. */
export interface ClusterInfo {
  context: string;
  server: string;
  namespace?: string;
  version?: ServerVersion;
  /** Objects kept per resource (`pods`, `deployments.apps`). */
  objects: Record<string, number>;
  /** Objects left out per resource because their controller is scanned instead. */
  ownedByScannedControllers: Record<string, number>;
  unavailable: UnavailableKind[];
}

export interface ClusterRead {
  inventory: Inventory;
  cluster: ClusterInfo;
}

/** `cluster://prod/pods` — where a live object came from, in findings. */
function clusterSource(context: string, resource: ApiResource): string {
  return `${CLUSTER_SOURCE_PREFIX}${context}/${resourceName(resource)}`;
}

export async function readCluster(options: ClusterReadOptions = {}): Promise<ClusterRead> {
  const config = await loadKubeConfig(options);
  const client = new ApiClient(config, options);
  const cluster: ClusterInfo = {
    context: config.context,
    server: config.server,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    objects: {},
    ownedByScannedControllers: {},
    unavailable: [],
  };
  try {
    return await readWith(client, config.context, cluster, options);
  } finally {
    client.close();
  }
}

async function readWith(client: ApiClient, context: string, cluster: ClusterInfo, options: ClusterReadOptions): Promise<ClusterRead> {
  // First request: also where an unreachable server, an untrusted certificate or rejected credentials surface.
  const version = await readVersion(client, options.sleep);
  const inventory = new Inventory();
  let nextId = 0;
  if (version) {
    cluster.version = { gitVersion: String(version.gitVersion), major: String(version.major ?? ''), minor: String(version.minor ?? '') };
    addObject(inventory, apiServerVersionObject(version, new Date()), `${CLUSTER_SOURCE_PREFIX}${context}/version`, nextId++);
  }

  const controllerUids = new Set<string>();
  /** Kept objects per resource, added to the inventory in table order once all are read: the same cluster gives the same report. */
  const kept = new Map<ApiResource, Record<string, unknown>[]>();
  const total = CLUSTER_RESOURCES.length;
  let done = 0;
  let objectsRead = nextId;
  // Equal strings of all the objects read share one copy (inventory.ts, internedCopy); the
  // table itself is dropped with this function's scope when the read ends.
  const strings = new Map<string, string>();

  const read = async (resource: ApiResource) => {
    const name = resourceName(resource);
    const onPage = (itemsSoFar: number) =>
      options.onProgress?.({ resource: name, resourcesDone: done, resourcesTotal: total, objects: objectsRead + itemsSoFar });
    try {
      const objects = await readResource(client, resource, { ...options, onPage }, strings);
      const keep: Record<string, unknown>[] = [];
      const controls = isPodBearing({ kind: resource.kind, group: resource.group, apiVersion: apiVersionOf(resource) });
      for (const raw of objects) {
        if (controls && isMapping(raw.metadata) && typeof raw.metadata.uid === 'string') {
          controllerUids.add(raw.metadata.uid);
        }
        if (!(resource.ownedByControllers && controlledByListed(raw, controllerUids))) keep.push(raw);
      }
      kept.set(resource, keep);
      objectsRead += keep.length;
      cluster.objects[name] = keep.length;
      if (objects.length > keep.length) cluster.ownedByScannedControllers[name] = objects.length - keep.length;
    } catch (err) {
      if (err instanceof ClusterSourceError) throw err;
      const unavailable = describeFailure(err, resource, options.namespace);
      inventory.unavailable.set(resource.kind, unavailable);
      cluster.unavailable.push(unavailable);
      inventory.problems.push({
        source: clusterSource(context, resource),
        message: `could not read ${name}: ${unavailable.reason}` + (unavailable.permission ? `; the scan needs ${unavailable.permission}` : '') +
          `; checks that need ${resource.kind} objects are skipped`,
        level: err instanceof ApiError && (err.status === 403 || err.status === 404) ? 'warning' : 'error',
      });
    }
    done++;
    options.onProgress?.({ resource: name, resourcesDone: done, resourcesTotal: total, objects: objectsRead });
  };

  const controllers = CLUSTER_RESOURCES.filter((r) => !r.ownedByControllers);
  const owned = CLUSTER_RESOURCES.filter((r) => r.ownedByControllers);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  await inPool(controllers, concurrency, read);
  // ReplicaSets and Jobs before Pods: a Pod's controller is a ReplicaSet or Job, itself often owned.
  for (const kinds of [['ReplicaSet', 'Job'], ['Pod']]) {
    await inPool(owned.filter((r) => kinds.includes(r.kind)), concurrency, read);
  }
  for (const resource of CLUSTER_RESOURCES) {
    for (const raw of kept.get(resource) ?? []) addObject(inventory, raw, clusterSource(context, resource), nextId++);
    kept.delete(resource);
  }
  cluster.unavailable.sort((a, b) => (a.kind < b.kind ? -1 : 1));
  // Counted as each list ended, which is in no fixed order: the report lists them in table order.
  const counted = cluster.objects;
  cluster.objects = {};
  for (const resource of CLUSTER_RESOURCES) {
    const name = resourceName(resource);
    if (name in counted) cluster.objects[name] = counted[name]!;
  }
  return { inventory, cluster };
}

async function readResource(
  client: ApiClient,
  resource: ApiResource,
  options: ClusterReadOptions & Pick<ListOptions, 'onPage'>,
  strings: Map<string, string>,
): Promise<Record<string, unknown>[]> {
  // Each item is copied as the inventory keeps it as soon as its page is read, so the pages
  // and the parsed items are garbage at once and only one copy of the cluster is ever held.
  // (An item nested too deeply to copy becomes its problem, reported when it is added.)
  const toObject = (item: unknown) => keptCopy(liveObject(item, resource), strings) as Record<string, unknown>;
  if (resource.kind === 'Namespace' && options.namespace !== undefined) {
    // Scanning one namespace: its own Namespace object, not the list of all.
    try {
      return [toObject(await client.getJson(`/api/v1/namespaces/${encodeURIComponent(options.namespace)}`))];
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) throw new ClusterSourceError(`namespace "${options.namespace}" does not exist on ${client.server}`);
      throw err;
    }
  }
  return listResource(client, resource, toObject, options);
}

/**
 * A list item as the inventory keeps it: with the kind and apiVersion lists leave out, without
 * managedFields and last-applied copies (bytes no check reads), and for metadata-only kinds
 * nothing but the metadata, whatever the server sent.
 */
function liveObject(item: unknown, resource: ApiResource): Record<string, unknown> {
  if (!isMapping(item)) throw new RequestFailed(`a ${resourceName(resource)} list item is not an object`);
  const metadata: Record<string, unknown> = isMapping(item.metadata) ? { ...item.metadata } : {};
  delete metadata.managedFields;
  if (isMapping(metadata.annotations) && DROPPED_ANNOTATIONS.some((a) => a in (metadata.annotations as object))) {
    const annotations = { ...metadata.annotations };
    for (const a of DROPPED_ANNOTATIONS) delete annotations[a];
    metadata.annotations = annotations;
  }
  const head = { apiVersion: apiVersionOf(resource), kind: resource.kind, metadata };
  if (resource.metadataOnly) return head;
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = item;
  return { ...head, ...rest };
}

function addObject(inventory: Inventory, raw: Record<string, unknown>, file: string, id: number): void {
  const read = keptToInventoryObject(raw, { file, doc: 0, line: 0, pathInDoc: [] }, id);
  if ('object' in read) inventory.add(read.object);
  else inventory.problems.push({ source: file, message: read.problem, level: 'error' });
}

function controlledByListed(raw: Record<string, unknown>, controllerUids: ReadonlySet<string>): boolean {
  const refs = isMapping(raw.metadata) ? raw.metadata.ownerReferences : undefined;
  return Array.isArray(refs) && refs.some((ref) => isMapping(ref) && ref.controller === true && typeof ref.uid === 'string' && controllerUids.has(ref.uid));
}

function describeFailure(err: unknown, resource: ApiResource, namespace: string | undefined): UnavailableKind {
  if (err instanceof ApiError) {
    if (err.status === 403) return { kind: resource.kind, reason: `forbidden (403): ${err.message.replace(/^GET \S+: 403 \S+: /, '')}`, permission: listPermission(resource, namespace) };
    if (err.status === 404) return { kind: resource.kind, reason: `not served by this API server (404 for ${apiVersionOf(resource)} ${resource.plural})` };
    if (err.status === 429) return { kind: resource.kind, reason: `the server kept throttling the scan (429): ${err.message}` };
    return { kind: resource.kind, reason: err.message };
  }
  return { kind: resource.kind, reason: (err as Error)?.message ?? String(err) };
}

async function readVersion(client: ApiClient, sleep: ClusterReadOptions['sleep']): Promise<Record<string, unknown> | undefined> {
  try {
    const v = await withThrottleRetries(() => client.getJson('/version'), sleep);
    return isVersionAnswer(v) ? v : undefined;
  } catch (err) {
    // A server that hides its version can still be scanned; one that hangs or answers garbage cannot.
    if (err instanceof RequestFailed) throw new ClusterSourceError(`${client.server} does not answer like a Kubernetes API server: ${err.message}`);
    if (err instanceof ApiError) return undefined;
    throw err;
  }
}

/** Runs `work` on every item, at most `limit` at a time. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
