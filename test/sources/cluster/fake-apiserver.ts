// A local HTTPS server that answers as the Kubernetes API server does, for the cluster-source
// tests that run without the Go-built binaries, and for faults a real kube-apiserver cannot be made
// to produce (the real one is in test/control-plane/). The real client (@kubernetes/client-node
// with a real kubeconfig, TLS and bearer token) talks to it.
// It serves the API's real shapes: /version, discovery documents, lists without kind/apiVersion
// on their items and paginated with `limit` + `continue`, PartialObjectMetadataList when asked
// for metadata only, and Status objects for 401, 403, 404, 410 and 429 — with the messages and
// reasons the real server sends. Faults (throttling, expired continue tokens, a hang mid-list,
// malformed JSON) are switched on per resource.

import { createHash } from 'node:crypto';
import https from 'node:https';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { makePki, type Pki } from '../etcd/harness.js';
import { CLUSTER_RESOURCES, apiVersionOf, type ApiResource } from '../../../src/sources/cluster/resources.js';

export type KubeObject = Record<string, any>;

export interface Faults {
  /** Plural resource names whose list answers 403 Forbidden. */
  forbidden?: string[];
  /** Resources whose first request answers 429 with this Retry-After (seconds). */
  throttleOnce?: Record<string, number>;
  /** Resources whose first continued request answers 410 Expired. */
  expireContinueOnce?: string[];
  /** A resource whose second page starts and then never ends. */
  hangMidList?: string;
  /** A resource whose list answer is cut off (malformed JSON). */
  malformed?: string;
  /** Resources (plural) the server does not serve (404), as an older server. */
  notServed?: string[];
  /** Plural resource names whose writes (apply PATCH, DELETE) answer 403 Forbidden. */
  writeForbidden?: string[];
  /** The PolicyReport CRDs (wgpolicyk8s.io/v1alpha2) are not installed: their paths answer 404. */
  noPolicyReportCrds?: boolean;
}

export interface FakeApiServer {
  url: string;
  pki: Pki;
  token: string;
  /** Every request: method, path, query, Accept header. */
  requests: { method: string; path: string; query: URLSearchParams; accept: string }[];
  /** Objects written by server-side apply and not deleted: ConfigMaps, PolicyReports, ClusterPolicyReports. */
  written(kind: string): KubeObject[];
  /** Writes a kubeconfig for this server; `token` overrides the valid one (for 401 tests). */
  kubeconfig(options?: { token?: string; caData?: Buffer | null; context?: string; user?: string }): string;
  close(): Promise<void>;
}

const VERSION = { major: '1', minor: '31', gitVersion: 'v1.31.4', gitCommit: 'a78aa47129b8539636eb86a9d00e31b2720fe06b', gitTreeState: 'clean', buildDate: '2024-12-10T11:36:06Z', goVersion: 'go1.22.9', compiler: 'gc', platform: 'linux/amd64' };

let sharedPki: Pki | undefined;
function pki(): Pki {
  return (sharedPki ??= makePki());
}

export async function startFakeApiServer(objects: KubeObject[], faults: Faults = {}): Promise<FakeApiServer> {
  const token = 'kubeharden-test-token';
  const tls = pki();
  const store = new Map<ApiResource, KubeObject[]>(CLUSTER_RESOURCES.map((r) => [r, []]));
  for (const obj of objects) {
    const resource = CLUSTER_RESOURCES.find((r) => r.kind === obj.kind && apiVersionOf(r) === obj.apiVersion);
    if (!resource) throw new Error(`fake API server does not serve ${obj.apiVersion} ${obj.kind}`);
    store.get(resource)!.push(withServerFields(obj));
  }
  const throttled = new Set<string>();
  const expired = new Set<string>();
  const requests: FakeApiServer['requests'] = [];

  /** PolicyReports and ClusterPolicyReports by `kind/namespace/name`. */
  const reports = new Map<string, KubeObject>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const accept = String(req.headers.accept ?? '');
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, query: url.searchParams, accept });
    // A bearer token or a client certificate signed by the cluster CA authenticates, as on a real server.
    const certified = (req.socket as import('node:tls').TLSSocket).authorized === true;
    if (req.headers.authorization !== `Bearer ${token}` && !certified) return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
    if (url.pathname.startsWith('/apis/wgpolicyk8s.io/')) {
      if (faults.noPolicyReportCrds) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
      return handleReports(req, res, url, method);
    }
    if (method === 'PATCH' || method === 'DELETE') return handleWrite(req, res, url, method);
    if (url.pathname === '/version') return sendJson(res, 200, VERSION);
    const discovery = discoveryDocument(url.pathname, faults);
    if (discovery) return sendJson(res, 200, discovery);
    const route = matchList(url.pathname);
    if (!route || faults.notServed?.includes(route.resource.plural)) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
    const { resource, namespace, name } = route;
    const plural = resource.plural;
    if (faults.forbidden?.includes(plural)) {
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return sendStatus(res, 403, 'Forbidden', `${plural} is forbidden: User "system:serviceaccount:kubeharden:scanner" cannot list resource "${plural}" in API group "${resource.group}" ${scope}`, { group: resource.group, kind: plural });
    }
    if (faults.throttleOnce?.[plural] !== undefined && !throttled.has(plural)) {
      throttled.add(plural);
      res.setHeader('Retry-After', String(faults.throttleOnce[plural]));
      return sendStatus(res, 429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: faults.throttleOnce[plural] });
    }
    const all = store.get(resource)!.filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    if (name !== undefined) {
      const found = all.find((o) => o.metadata.name === name);
      return found ? sendJson(res, 200, found) : sendStatus(res, 404, 'NotFound', `${plural} "${name}" not found`, { name, kind: plural });
    }
    const cont = url.searchParams.get('continue');
    if (cont && faults.expireContinueOnce?.includes(plural) && !expired.has(plural)) {
      expired.add(plural);
      return sendStatus(res, 410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    const start = cont ? JSON.parse(Buffer.from(cont, 'base64').toString()).start : 0;
    const limit = Number(url.searchParams.get('limit') ?? 0) || all.length;
    const page = all.slice(start, start + limit);
    const more = start + limit < all.length;
    const metadata: KubeObject = { resourceVersion: '4242' };
    if (more) {
      metadata.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 4242, start: start + limit })).toString('base64');
      metadata.remainingItemCount = all.length - start - limit;
    }
    const metadataOnly = accept.includes('as=PartialObjectMetadataList');
    const body = metadataOnly
      ? { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: page.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })) }
      : { kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata, items: page.map(({ kind: _k, apiVersion: _a, ...rest }) => rest) };
    if (faults.malformed === plural) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(body).slice(0, 200));
    }
    if (faults.hangMidList === plural && cont) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(JSON.stringify(body).slice(0, 100)); // and never another byte
      return;
    }
    sendJson(res, 200, body);
  };

  /** Server-side apply and delete of core objects (ConfigMaps): the object lands in the store, so later lists show it. */
  const handleWrite = async (req: IncomingMessage, res: ServerResponse, url: URL, method: string) => {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /api/v1/namespaces/NS/PLURAL/NAME
    if (parts.length !== 6 || parts[0] !== 'api' || parts[2] !== 'namespaces') return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
    const [, , , namespace, plural, name] = parts as [string, string, string, string, string, string];
    const resource = CLUSTER_RESOURCES.find((r) => r.group === '' && r.plural === plural);
    if (!resource) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
    if (faults.writeForbidden?.includes(plural)) {
      const verb = method === 'DELETE' ? 'delete' : 'patch';
      return sendStatus(res, 403, 'Forbidden', `${plural} "${name}" is forbidden: User "system:serviceaccount:kubeharden-node:kubeharden-node-audit" cannot ${verb} resource "${plural}" in API group "" in the namespace "${namespace}"`, { name, kind: plural });
    }
    const list = store.get(resource)!;
    if (method === 'DELETE') {
      const i = list.findIndex((o) => o.metadata.namespace === namespace && o.metadata.name === name);
      if (i < 0) return sendStatus(res, 404, 'NotFound', `${plural} "${name}" not found`, { name, kind: plural });
      list.splice(i, 1);
      return sendStatus(res, 200, 'Success', 'deleted');
    }
    const applied = await readApply(req, res, url, resource.kind, 'v1', name, namespace);
    if (!applied) return;
    if (!store.get(CLUSTER_RESOURCES.find((r) => r.kind === 'Namespace')!)!.some((n) => n.metadata.name === namespace)) {
      return sendStatus(res, 404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    }
    const i = list.findIndex((o) => o.metadata.namespace === namespace && o.metadata.name === name);
    const stored = withServerFields(applied);
    if (i >= 0) list[i] = stored;
    else list.push(stored);
    sendJson(res, i >= 0 ? 200 : 201, stored);
  };

  /** PolicyReports (namespaced) and ClusterPolicyReports: apply, delete, and lists with a label selector. */
  const handleReports = async (req: IncomingMessage, res: ServerResponse, url: URL, method: string) => {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent).slice(2); // after /apis/wgpolicyk8s.io
    if (parts[0] !== 'v1alpha2') return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
    let namespace: string | undefined;
    let rest = parts.slice(1);
    if (rest[0] === 'namespaces') {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name] = rest;
    const kind = plural === 'policyreports' ? 'PolicyReport' : plural === 'clusterpolicyreports' ? 'ClusterPolicyReport' : undefined;
    if (!kind || rest.length > 2 || (kind === 'ClusterPolicyReport' && namespace !== undefined)) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
    if ((method === 'PATCH' || method === 'DELETE') && faults.writeForbidden?.includes(plural!)) {
      return sendStatus(res, 403, 'Forbidden', `${plural} "${name}" is forbidden: User "system:serviceaccount:kubeharden:kubeharden-scanner" cannot ${method === 'DELETE' ? 'delete' : 'patch'} resource "${plural}" in API group "wgpolicyk8s.io"`, { name, kind: plural });
    }
    const key = (ns: string | undefined, n: string) => `${kind}/${ns ?? ''}/${n}`;
    if (name === undefined) {
      if (method !== 'GET') return sendStatus(res, 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      const selector = parseSelector(url.searchParams.get('labelSelector'));
      const items = [...reports.values()].filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace) && matchesLabels(o, selector));
      return sendJson(res, 200, { kind: `${kind}List`, apiVersion: 'wgpolicyk8s.io/v1alpha2', metadata: { resourceVersion: '4242' }, items });
    }
    if (kind === 'PolicyReport' && namespace === undefined) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
    if (method === 'DELETE') {
      if (!reports.delete(key(namespace, name))) return sendStatus(res, 404, 'NotFound', `${plural}.wgpolicyk8s.io "${name}" not found`, { name, kind: plural });
      return sendStatus(res, 200, 'Success', 'deleted');
    }
    if (method === 'GET') {
      const found = reports.get(key(namespace, name));
      return found ? sendJson(res, 200, found) : sendStatus(res, 404, 'NotFound', `${plural}.wgpolicyk8s.io "${name}" not found`, { name, kind: plural });
    }
    const applied = await readApply(req, res, url, kind, 'wgpolicyk8s.io/v1alpha2', name, namespace);
    if (!applied) return;
    if (namespace !== undefined && !store.get(CLUSTER_RESOURCES.find((r) => r.kind === 'Namespace')!)!.some((n) => n.metadata.name === namespace)) {
      return sendStatus(res, 404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    }
    const stored = withServerFields(applied);
    reports.set(key(namespace, name), stored);
    sendJson(res, 200, stored);
  };

  const server = https.createServer(
    { cert: readFileSync(tls.files.serverCert), key: readFileSync(tls.files.serverKey), ca: tls.ca, requestCert: true, rejectUnauthorized: false },
    handle,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-kubeconfig-'));
  let configs = 0;

  return {
    url,
    pki: tls,
    token,
    requests,
    written(kind) {
      if (kind === 'PolicyReport' || kind === 'ClusterPolicyReport') return [...reports.values()].filter((o) => o.kind === kind);
      return store.get(CLUSTER_RESOURCES.find((r) => r.kind === kind)!)!.filter((o) => o.metadata?.managedFields !== undefined);
    },
    kubeconfig(options = {}) {
      const file = path.join(dir, `config-${configs++}`);
      writeFileSync(file, kubeconfigText(url, options.caData === undefined ? tls.ca : options.caData, options.token ?? token, options.context ?? 'fake', options.user));
      return file;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A kubeconfig with one cluster, user and context; `user` replaces the token user's fields (indented YAML). */
export function kubeconfigText(server: string, ca: Buffer | null, token: string, context = 'fake', user = `    token: ${token}\n`): string {
  const caLine = ca ? `    certificate-authority-data: ${ca.toString('base64')}\n` : '';
  return `apiVersion: v1
kind: Config
clusters:
- name: fake-cluster
  cluster:
    server: ${server}
${caLine}users:
- name: scanner
  user:
${user}contexts:
- name: ${context}
  context:
    cluster: fake-cluster
    user: scanner
current-context: ${context}
`;
}

/**
 * Reads a server-side apply request as the API server checks it: the apply content type, a
 * fieldManager, a body whose apiVersion, kind, name and namespace match the URL. Answers the
 * error itself and returns undefined when the request is refused.
 */
async function readApply(req: IncomingMessage, res: ServerResponse, url: URL, kind: string, apiVersion: string, name: string, namespace: string | undefined): Promise<KubeObject | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (req.headers['content-type'] !== 'application/apply-patch+yaml') {
    sendStatus(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
    return undefined;
  }
  if (!url.searchParams.get('fieldManager')) {
    sendStatus(res, 400, 'BadRequest', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    return undefined;
  }
  let body: KubeObject;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    sendStatus(res, 400, 'BadRequest', `error decoding YAML: ${(err as Error).message}`);
    return undefined;
  }
  if (body.kind !== kind || body.apiVersion !== apiVersion || body.metadata?.name !== name || (body.metadata?.namespace ?? namespace) !== namespace) {
    sendStatus(res, 400, 'BadRequest', `the body's ${body.apiVersion} ${body.kind} ${body.metadata?.namespace ?? ''}/${body.metadata?.name} does not match the URL`);
    return undefined;
  }
  return { ...body, metadata: { ...body.metadata, managedFields: [{ manager: url.searchParams.get('fieldManager'), operation: 'Apply', apiVersion }] } };
}

function parseSelector(text: string | null): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const term of (text ?? '').split(',').filter(Boolean)) {
    const [k, v] = term.split('=');
    selector[k!] = v ?? '';
  }
  return selector;
}

function matchesLabels(o: KubeObject, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => o.metadata?.labels?.[k] === v);
}

/** What the API server adds to a stored object: a uid and a resourceVersion. */
function withServerFields(obj: KubeObject): KubeObject {
  const uid = createHash('sha256').update(`${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`).digest('hex');
  const formatted = `${uid.slice(0, 8)}-${uid.slice(8, 12)}-${uid.slice(12, 16)}-${uid.slice(16, 20)}-${uid.slice(20, 32)}`;
  return { ...obj, metadata: { uid: formatted, resourceVersion: '4242', ...obj.metadata } };
}

function matchList(pathname: string): { resource: ApiResource; namespace?: string; name?: string } | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [prefix] = parts;
  let group = '';
  let rest: string[];
  if (prefix === 'api') rest = parts.slice(1);
  else if (prefix === 'apis') {
    group = parts[1] ?? '';
    rest = parts.slice(2);
  } else return undefined;
  const [version, ...tail] = rest;
  const byPlural = (plural: string | undefined) => CLUSTER_RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
  if (tail[0] === 'namespaces' && tail.length >= 3) {
    const resource = byPlural(tail[2]);
    return resource?.namespaced && tail.length === 3 ? { resource, namespace: tail[1] } : undefined;
  }
  if (tail[0] === 'namespaces' && tail.length === 2) return { resource: byPlural('namespaces')!, name: tail[1] };
  const resource = byPlural(tail[0]);
  return resource && tail.length === 1 ? { resource } : undefined;
}

function discoveryDocument(pathname: string, faults: Faults): KubeObject | undefined {
  const served = CLUSTER_RESOURCES.filter((r) => !faults.notServed?.includes(r.plural));
  const groups = [...new Set(served.filter((r) => r.group).map((r) => `${r.group}/${r.version}`))];
  if (pathname === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }] };
  if (pathname === '/apis') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((gv) => {
        const [name, version] = gv.split('/');
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      }),
    };
  }
  const gv = pathname === '/api/v1' ? 'v1' : pathname.startsWith('/apis/') ? pathname.slice('/apis/'.length) : undefined;
  if (gv === undefined || (gv !== 'v1' && !groups.includes(gv))) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: served
      .filter((r) => apiVersionOf(r) === gv)
      .map((r) => ({ name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] })),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendStatus(res: ServerResponse, code: number, reason: string, message: string, details?: KubeObject): void {
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}
