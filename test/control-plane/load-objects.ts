// Loading manifests into the real API server: the objects of the kinds a cluster scan lists, created
// one by one through the API (as `kubectl create` would), with what the server refused kept apart.

import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { loadManifests } from '../../src/sources/manifests.js';
import { CLUSTER_RESOURCES, apiVersionOf, listPath, type ApiResource } from '../../src/sources/cluster/resources.js';
import type { ControlPlaneEnv } from './harness.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeObject = Record<string, any>;

export interface ApiAnswer {
  status: number;
  body: string;
}

/** A request to the API server as cluster admin (the admin client certificate of the control plane). */
export function adminRequest(env: ControlPlaneEnv, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const pki = (f: string) => readFileSync(path.join(env.pki, f));
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(urlPath, env.server), {
      method,
      ca: pki('ca.crt'), cert: pki('admin.crt'), key: pki('admin.key'),
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export function resourceOf(obj: KubeObject): ApiResource | undefined {
  return CLUSTER_RESOURCES.find((r) => r.kind === obj.kind && apiVersionOf(r) === obj.apiVersion);
}

/**
 * The objects of DIRS that a cluster scan would list (its built-in kinds), one per kind, namespace and
 * name, namespaced ones without a namespace put in "default" as `kubectl create` does. Custom resources
 * and kinds the scan does not list are left out: a live scan never reads them.
 */
export async function clusterObjectsOf(dirs: string[]): Promise<{ objects: KubeObject[]; leftOut: Record<string, number> }> {
  const { inventory } = await loadManifests(dirs);
  const byKey = new Map<string, KubeObject>();
  const leftOut: Record<string, number> = {};
  for (const obj of inventory.objects) {
    const resource = resourceOf(obj);
    const raw = structuredClone(obj.raw) as KubeObject;
    if (!resource || typeof raw.metadata?.name !== 'string') {
      const key = `${obj.apiVersion}/${obj.kind}`;
      leftOut[key] = (leftOut[key] ?? 0) + 1;
      continue;
    }
    raw.metadata = { ...raw.metadata };
    if (resource.namespaced) raw.metadata.namespace ??= 'default';
    else delete raw.metadata.namespace;
    byKey.set(`${resource.plural}/${raw.metadata.namespace ?? ''}/${raw.metadata.name}`, raw);
  }
  return { objects: [...byKey.values()], leftOut };
}

/**
 * What a cluster made by kubeadm has before any workload: a Namespace for every namespace used, and
 * its "default" ServiceAccount (the controller manager makes those; this control plane runs none, and
 * without the ServiceAccount the API server refuses Pods that use it).
 */
export function withNamespacesAndDefaultServiceAccounts(objects: KubeObject[]): KubeObject[] {
  const builtIn = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  const has = new Set(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
  const namespaces = new Set(objects.filter((o) => o.metadata.namespace).map((o) => o.metadata.namespace as string));
  for (const o of objects) if (o.kind === 'Namespace') namespaces.add(o.metadata.name);
  const added: KubeObject[] = [];
  for (const ns of [...namespaces].sort()) {
    if (!builtIn.has(ns) && !has.has(`Namespace//${ns}`)) added.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    if (!has.has(`ServiceAccount/${ns}/default`)) added.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
  }
  return [...added, ...objects];
}

export interface Refusal {
  object: string;
  status: number;
  message: string;
}

/**
 * Creates every object through the API, a few at a time: Namespaces first, then ServiceAccounts, then
 * the rest, and admission webhook configurations last, as their webhooks do not run here and would
 * otherwise refuse (failurePolicy Fail) every object created after them.
 */
export async function createAll(env: ControlPlaneEnv, objects: KubeObject[]): Promise<{ created: KubeObject[]; refused: Refusal[] }> {
  const rank = (o: KubeObject) =>
    o.kind === 'Namespace' ? 0 : o.kind === 'ServiceAccount' ? 1 : /^(Validating|Mutating)WebhookConfiguration$/.test(o.kind) ? 3 : 2;
  const waves = [0, 1, 2, 3].map((w) => objects.filter((o) => rank(o) === w));
  const created: KubeObject[] = [];
  const refused: Refusal[] = [];
  for (const wave of waves) {
    let next = 0;
    const worker = async () => {
      while (next < wave.length) {
        const obj = wave[next++]!;
        const resource = resourceOf(obj)!;
        let answer = await adminRequest(env, 'POST', listPath(resource, resource.namespaced ? obj.metadata.namespace : undefined), obj);
        if (answer.status === 409 && obj.kind === 'Namespace') {
          // A namespace the server made itself (default, kube-system…): the manifest's labels and
          // annotations go on it, as `kubectl apply` would put them.
          const { labels, annotations } = obj.metadata;
          answer = await adminRequest(env, 'PATCH', `/api/v1/namespaces/${obj.metadata.name}`, { metadata: { labels, annotations } }, { 'content-type': 'application/merge-patch+json' });
          if (answer.status === 200) answer.status = 201;
        }
        if (answer.status === 201) created.push(obj);
        else refused.push({ object: `${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, status: answer.status, message: messageOf(answer.body) });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }
  return { created, refused };
}

function messageOf(body: string): string {
  try {
    return String((JSON.parse(body) as { message?: string }).message);
  } catch {
    return body.slice(0, 300);
  }
}
