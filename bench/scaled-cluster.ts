// The cluster the live-scan benchmarks read: the corpus cluster of the tests (real-world
// manifests grouped by kind, plus three Nodes) copied under new namespace and object names
// until it holds the number of objects asked for.

import { corpusCluster } from '../test/sources/cluster/corpus-cluster.js';
import type { KubeObject } from '../test/sources/cluster/fake-apiserver.js';
import { CLUSTER_RESOURCES, apiVersionOf } from '../src/sources/cluster/resources.js';

export async function scaledCluster(target: number): Promise<KubeObject[]> {
  const base = await corpusCluster();
  const out: KubeObject[] = [];
  for (let copy = 0; out.length < target; copy++) {
    for (const obj of base) {
      if (out.length >= target) break;
      const namespaced = CLUSTER_RESOURCES.find((r) => r.kind === obj.kind && apiVersionOf(r) === obj.apiVersion)!.namespaced;
      const metadata = { ...obj.metadata };
      if (copy > 0) {
        if (namespaced) metadata.namespace = `${metadata.namespace}-c${copy}`;
        else metadata.name = `${metadata.name}-c${copy}`;
      }
      out.push({ ...obj, metadata });
    }
  }
  return out;
}
