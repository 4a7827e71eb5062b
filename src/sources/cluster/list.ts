// Lists one resource in pages (`limit` + `continue`), restarting when the continue token has
// expired (410 Gone) and waiting as the server asks when it throttles (429 + Retry-After).

import { isMapping } from '../../inventory/model.js';
import { ApiError, RequestFailed, type ApiClient } from './client.js';
import { listPath, type ApiResource } from './resources.js';

const DEFAULT_PAGE_SIZE = 500;
/** A list restarted this often (its continue token kept expiring) is given up. */
const MAX_RESTARTS = 3;
const MAX_THROTTLE_RETRIES = 6;
/** Longest wait we accept from a Retry-After, so a scan stays bounded in time. */
const MAX_RETRY_WAIT_SECONDS = 60;

const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;q=0.9';

export interface ListOptions {
  namespace?: string;
  /** Only objects with these labels (`key=value,…`), as the API server filters them. */
  labelSelector?: string;
  pageSize?: number;
  /** Called after each page with the number of items read so far in this list. */
  onPage?: (itemsSoFar: number) => void;
  /** How to wait before a retry; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Every item of a resource, each already reduced by `keep` (which must copy what it keeps, so
 * a page's JSON can be dropped as soon as it is read). Items are returned only once the whole
 * list is read, so a restart never leaves half a list behind.
 */
export async function listResource<T>(
  client: ApiClient,
  resource: ApiResource,
  keep: (item: unknown) => T,
  options: ListOptions = {},
): Promise<T[]> {
  const path = listPath(resource, options.namespace);
  const accept = resource.metadataOnly ? METADATA_ONLY : 'application/json';
  const limit = String(options.pageSize ?? DEFAULT_PAGE_SIZE);
  for (let restart = 0; ; restart++) {
    const items: T[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await withThrottleRetries(() => client.getJson(path, { labelSelector: options.labelSelector, limit, continue: token }, accept), options.sleep ?? sleep);
        if (!isMapping(page) || !Array.isArray(page.items)) {
          throw new RequestFailed(`GET ${path}: the answer is not a list (no items array)`);
        }
        for (const item of page.items) items.push(keep(item));
        options.onPage?.(items.length);
        const next = isMapping(page.metadata) ? page.metadata.continue : undefined;
        token = typeof next === 'string' && next !== '' ? next : undefined;
      } while (token !== undefined);
      return items;
    } catch (err) {
      // 410 Gone on a continued list: the snapshot the token pointed at was compacted away.
      const expired = err instanceof ApiError && err.status === 410 && token !== undefined;
      if (!expired) throw err;
      if (restart + 1 >= MAX_RESTARTS) {
        throw new RequestFailed(`GET ${path}: the list was restarted ${MAX_RESTARTS} times because its continue token kept expiring (410 Gone)`);
      }
    }
  }
}

/** Runs a request again while the server answers 429, waiting as its Retry-After says. */
export async function withThrottleRetries<T>(request: () => Promise<T>, wait: (ms: number) => Promise<void> = sleep): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 429 || attempt >= MAX_THROTTLE_RETRIES) throw err;
      const seconds = Math.min(err.retryAfterSeconds ?? 1, MAX_RETRY_WAIT_SECONDS);
      await wait(seconds * 1000);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
