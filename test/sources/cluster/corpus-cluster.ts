// A realistic cluster built from the real-world corpus: every object of a kind the cluster scan
// lists, as the API server would hold it (namespaced objects without a namespace land in
// "default", as `kubectl apply` leaves them; one object per kind, namespace and name).

import path from 'node:path';
import { loadManifests } from '../../../src/sources/manifests.js';
import { CLUSTER_RESOURCES, apiVersionOf } from '../../../src/sources/cluster/resources.js';
import { REPO_ROOT } from '../../helpers.js';
import type { KubeObject } from './fake-apiserver.js';

export async function corpusCluster(): Promise<KubeObject[]> {
  const { inventory } = await loadManifests([path.join(REPO_ROOT, 'test/fixtures/corpus/real')]);
  const byKey = new Map<string, KubeObject>();
  for (const obj of inventory.objects) {
    const resource = CLUSTER_RESOURCES.find((r) => r.kind === obj.kind && apiVersionOf(r) === obj.apiVersion);
    const raw = structuredClone(obj.raw) as KubeObject;
    if (!resource || typeof raw.metadata?.name !== 'string') continue;
    raw.metadata = { ...raw.metadata };
    if (resource.namespaced) raw.metadata.namespace ??= 'default';
    else delete raw.metadata.namespace;
    byKey.set(`${resource.plural}/${raw.metadata.namespace ?? ''}/${raw.metadata.name}`, raw);
  }
  return [...byKey.values()];
}
