// The few writes kubeharden makes to a cluster, all of objects it owns: a node's audit record
// (a ConfigMap) and PolicyReports. Each write is a server-side apply (one PATCH that creates or
// updates, owned by the field manager "kubeharden"), so a repeated run converges instead of
// failing on "already exists" and never needs to read the object first.

import { ApiError, type ApiClient } from '../sources/cluster/client.js';
import { listResource, withThrottleRetries, type ListOptions } from '../sources/cluster/list.js';
import type { ApiResource } from '../sources/cluster/resources.js';
import { isMapping } from '../inventory/model.js';

const FIELD_MANAGER = 'kubeharden';
const APPLY_PATCH = 'application/apply-patch+yaml';

/** Creates or updates an object at its path (`/api/v1/namespaces/NS/configmaps/NAME`). JSON is YAML, so the object is sent as JSON. */
export async function applyObject(client: ApiClient, path: string, object: Record<string, unknown>, sleep?: (ms: number) => Promise<void>): Promise<void> {
  await withThrottleRetries(
    () => client.requestJson('PATCH', path, { query: { fieldManager: FIELD_MANAGER, force: 'true' }, body: JSON.stringify(object), contentType: APPLY_PATCH }),
    sleep,
  );
}

/** Deletes an object; one already gone is not an error. */
export async function deleteObject(client: ApiClient, path: string, sleep?: (ms: number) => Promise<void>): Promise<void> {
  try {
    await withThrottleRetries(() => client.requestJson('DELETE', path), sleep);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return;
    throw err;
  }
}

/** Names (and namespaces) of the objects of a resource that carry a label selector, listed as a scan lists (pages, 410 restarts, 429 waits). */
export async function listNames(
  client: ApiClient,
  resource: ApiResource,
  options: Pick<ListOptions, 'namespace' | 'labelSelector' | 'sleep'>,
): Promise<{ namespace?: string; name: string }[]> {
  const named = await listResource(client, resource, (item) => {
    const metadata = isMapping(item) && isMapping(item.metadata) ? item.metadata : undefined;
    if (typeof metadata?.name !== 'string') return undefined;
    return { name: metadata.name, ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}) };
  }, options);
  return named.filter((n): n is { namespace?: string; name: string } => n !== undefined);
}
