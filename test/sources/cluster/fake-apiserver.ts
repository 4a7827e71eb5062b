// A local HTTPS server that answers as the Kubernetes API server does, for the cluster-source
// tests. No Kubernetes API server can be installed in the test environment, so the real client
// (@kubernetes/client-node with a real kubeconfig, TLS and bearer token) talks to this instead.
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
}

export interface FakeApiServer {
  url: string;
  pki: Pki;
  token: string;
  /** Every request: path, query, Accept header. */
  requests: { path: string; query: URLSearchParams; accept: string }[];
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

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const accept = String(req.headers.accept ?? '');
    requests.push({ path: url.pathname, query: url.searchParams, accept });
    // A bearer token or a client certificate signed by the cluster CA authenticates, as on a real server.
    const certified = (req.socket as import('node:tls').TLSSocket).authorized === true;
    if (req.headers.authorization !== `Bearer ${token}` && !certified) return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
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
