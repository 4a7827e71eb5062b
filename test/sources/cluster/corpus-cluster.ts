// A realistic cluster built from the real-world corpus: every object of a kind the cluster scan
// lists, as the API server would hold it (namespaced objects without a namespace land in
// "default", as `kubectl apply` leaves them; one object per kind, namespace and name), and
// three Nodes (the corpus has none) whose kubelets are one, two and four minors behind.

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
  const objects = [...byKey.values(), node('control-plane-1', 'v1.31.4'), node('worker-1', 'v1.30.10'), node('worker-2', 'v1.27.16')];
  // In the order a live read adds them (resource by resource), so a scan of these objects as a
  // file sees them in the same order: checks that name the first object of a namespace agree.
  const rank = (o: KubeObject) => CLUSTER_RESOURCES.findIndex((r) => r.kind === o.kind && apiVersionOf(r) === o.apiVersion);
  return objects.sort((a, b) => rank(a) - rank(b));
}

function node(name: string, kubeletVersion: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name } },
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      nodeInfo: {
        kubeletVersion, kubeProxyVersion: kubeletVersion, containerRuntimeVersion: 'containerd://1.7.24', osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-28-amd64', operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}
