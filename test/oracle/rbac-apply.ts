// Puts the corpus' RBAC objects into the real API server, runs the clusterrole-aggregation
// controller (the real one, from kube-controller-manager), and reads the result back.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Inventory } from '../../src/inventory/inventory.js';
import { mapLimit } from './client.js';
import type { Plane } from './harness.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const PLURAL: Record<string, string> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };

export interface Applied {
  accepted: number;
  /** `Kind ns/name: server message` for every object the server refused (left out of kubeharden's input too). */
  refused: string[];
  /** The accepted objects, one JSON document each, as kubeharden reads manifests. */
  yaml: string;
}

function rbacPath(kind: string, namespace?: string, name?: string): string {
  const ns = namespace ? `/namespaces/${namespace}` : '';
  return `/apis/${RBAC_GROUP}/v1${ns}/${PLURAL[kind]}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export async function ensureNamespaces(plane: Plane, names: Iterable<string>): Promise<void> {
  await mapLimit([...new Set(names)].filter(Boolean), 8, (name) =>
    plane.client.must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, [409]),
  );
}

/** Creates every RBAC object of the inventory once (the first of each kind/namespace/name wins). */
export async function applyRbacObjects(plane: Plane, inventory: Inventory): Promise<Applied> {
  const seen = new Set<string>();
  const objects: Record<string, any>[] = [];
  for (const kind of Object.keys(PLURAL)) {
    for (const obj of inventory.ofKind(kind)) {
      if (obj.group !== RBAC_GROUP) continue;
      const namespaced = kind === 'Role' || kind === 'RoleBinding';
      const namespace = namespaced ? obj.namespace || 'default' : undefined;
      const key = `${kind}/${namespace ?? ''}/${obj.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const raw = obj.raw as Record<string, any>;
      const meta = raw.metadata ?? {};
      const clean: Record<string, any> = { ...raw, metadata: { name: meta.name, ...(namespace ? { namespace } : {}), labels: meta.labels, annotations: meta.annotations } };
      delete clean.status;
      objects.push(clean);
    }
  }
  await ensureNamespaces(plane, objects.map((o) => o.metadata.namespace));
  const refused: string[] = [];
  const accepted: Record<string, any>[] = [];
  await mapLimit(objects, 8, async (o) => {
    const ns = o.metadata.namespace;
    const version = String(o.apiVersion).split('/')[1];
    const where = `${o.kind} ${ns ? ns + '/' : ''}${o.metadata.name}`;
    if (version !== 'v1') {
      refused.push(`${where}: ${o.apiVersion} is not served`);
      return;
    }
    let res = await plane.client.request('POST', rbacPath(o.kind, ns), o);
    if (res.status === 409) {
      // One of the server's default objects: replace it, as `kubectl replace` would.
      const current = await plane.client.must('GET', rbacPath(o.kind, ns, o.metadata.name));
      res = await plane.client.request('PUT', rbacPath(o.kind, ns, o.metadata.name), { ...o, metadata: { ...o.metadata, resourceVersion: current.body.metadata.resourceVersion } });
    }
    if (res.status >= 200 && res.status < 300) accepted.push(o);
    else refused.push(`${where}: ${res.body?.message ?? res.status}`);
  });
  return { accepted: accepted.length, refused: refused.sort(), yaml: accepted.map((o) => JSON.stringify(o)).join('\n---\n') + '\n' };
}

/** The kube-controller-manager binary built beside kube-apiserver, if there is one. */
export function controllerManagerBinary(plane: Plane): string | undefined {
  const bins = plane.env.binaries as Record<string, string>;
  const candidate = bins.kubeControllerManager ?? path.join(path.dirname(bins.kubeApiserver), 'kube-controller-manager');
  return existsSync(candidate) ? candidate : undefined;
}

/** Starts kube-controller-manager with only the clusterrole-aggregation controller; returns its stop. */
export function startAggregationController(plane: Plane): () => void {
  const binary = controllerManagerBinary(plane);
  if (!binary) throw new Error('kube-controller-manager is not built (node scripts/control-plane.mjs build)');
  const log = openSync(path.join(plane.dir, 'kube-controller-manager.log'), 'a');
  const child: ChildProcess = spawn(
    binary,
    [
      `--kubeconfig=${plane.env.kubeconfig}`,
      '--controllers=clusterrole-aggregation',
      '--leader-elect=false',
      '--secure-port=0',
      '--use-service-account-credentials=false',
    ],
    { stdio: ['ignore', log, log] },
  );
  return () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
}

async function listAll(plane: Plane, kind: string): Promise<Record<string, any>[]> {
  const res = await plane.client.must('GET', rbacPath(kind));
  return (res.body.items as Record<string, any>[]).map((item) => ({ apiVersion: `${RBAC_GROUP}/v1`, kind, ...item }));
}

/** Every Role, ClusterRole and binding the server holds, with kind and apiVersion. */
export async function listRbac(plane: Plane): Promise<Record<string, any>[]> {
  const all = [];
  for (const kind of Object.keys(PLURAL)) all.push(...(await listAll(plane, kind)));
  return all;
}

/** Waits until the aggregated ClusterRoles are filled and stop changing; returns every RBAC object as the server holds it. */
export async function waitForAggregation(plane: Plane, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let previous = '';
  for (;;) {
    const roles = await listAll(plane, 'ClusterRole');
    const aggregated = roles.filter((r) => r.aggregationRule);
    const admin = aggregated.find((r) => r.metadata.name === 'admin');
    const snapshot = JSON.stringify(aggregated.map((r) => [r.metadata.name, r.rules ?? []]));
    if (admin?.rules?.length && snapshot === previous) break;
    previous = snapshot;
    if (Date.now() > deadline) throw new Error('the clusterrole-aggregation controller did not fill admin/edit/view in time (see kube-controller-manager.log)');
    await new Promise((r) => setTimeout(r, 2000));
  }
  return (await listRbac(plane)).map((o) => JSON.stringify(o)).join('\n---\n') + '\n';
}
