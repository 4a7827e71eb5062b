// A hostile API server (or a hostile proxy in front of one), each the regression test of an
// attack that once worked: endless `continue` tokens made `scan --cluster` run forever (229,000
// requests in 90 s), a server that ignored `limit` handed it a 300 MiB page (accepted at 2.1 GiB),
// and a slow drip held every request for minutes. Also: bad JSON, a redirect to another host
// (which must never receive the credentials), a wrong content type, and a server that sends
// Secret values although the client asked for metadata only.
//
// This is a stand-in on purpose: a real kube-apiserver cannot be made to do any of this. It is a
// plain HTTP server on loopback that answers /version and every list like a real one (empty), and
// is hostile on one path. Each case must end in a clear error, in bounded time and memory.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCluster, type ClusterReadOptions } from '../../../src/sources/cluster/source.js';
import { scanClusterRead } from '../../../src/engine/scan-cluster.js';
import { writeSnapshot } from '../../../src/sources/snapshot.js';
import { kubeconfigText } from './fake-apiserver.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kh-hostile-api-'));
const servers: http.Server[] = [];
after(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  rmSync(dir, { recursive: true, force: true });
});


const VERSION = { major: '1', minor: '31', gitVersion: 'v1.31.4' };
const TOKEN = 'hostile-test-token-7c1e';

/** A server that answers like an empty cluster except where `hostile` takes the request (return true). */
async function hostileServer(hostile: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean): Promise<{ url: string; requests: string[]; kubeconfig: string }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname + url.search);
    if (hostile(req, res, url)) return;
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/version') return res.end(JSON.stringify(VERSION));
    res.end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: {}, items: [] }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfig = path.join(dir, `kubeconfig-${servers.length}`);
  // Plain HTTP on loopback: the client node allows it only with TLS verification off (there is no TLS).
  writeFileSync(kubeconfig, kubeconfigText(url, null, TOKEN).replace(`    server: ${url}\n`, `    server: ${url}\n    insecure-skip-tls-verify: true\n`));
  return { url, requests, kubeconfig };
}

const isPods = (url: URL) => url.pathname === '/api/v1/pods';

async function podsUnavailable(kubeconfig: string, options: Partial<ClusterReadOptions> = {}): Promise<string> {
  const read = await readCluster({ kubeconfig, sleep: async () => undefined, ...options });
  const pods = read.cluster.unavailable.find((u) => u.kind === 'Pod');
  assert.ok(pods, `Pods are reported unreadable: ${JSON.stringify(read.cluster.unavailable)}`);
  // The other resources were read.
  assert.ok(read.cluster.unavailable.length < 5, JSON.stringify(read.cluster.unavailable));
  return pods.reason;
}

test('endless continue tokens: the list is given up after a bounded number of pages', async () => {
  let n = 0;
  const api = await hostileServer((_req, res, url) => {
    if (!isPods(url)) return false;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'PodList', metadata: { continue: `token-${n++}` }, items: [] }));
    return true;
  });
  const reason = await podsUnavailable(api.kubeconfig, { maxPages: 200 });
  assert.match(reason, /more than 200 pages \(the server keeps sending continue tokens\)/);
  assert.ok(api.requests.filter((r) => r.startsWith('/api/v1/pods')).length <= 201);
});

test('a repeated continue token is detected at once', async () => {
  const api = await hostileServer((_req, res, url) => {
    if (!isPods(url)) return false;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'PodList', metadata: { continue: 'same' }, items: [] }));
    return true;
  });
  assert.match(await podsUnavailable(api.kubeconfig), /the same continue token twice/);
  assert.equal(api.requests.filter((r) => r.startsWith('/api/v1/pods')).length, 2);
});

test('a page over the size read at once is asked for in smaller pieces; a server that ignores limit is given up', async () => {
  const item = { metadata: { name: 'x'.repeat(200), namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const api = await hostileServer((_req, res, url) => {
    if (!isPods(url)) return false;
    // Ignores `limit`: always 4 MiB of pods.
    const items = Array.from({ length: 13_000 }, () => item);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'PodList', metadata: {}, items }));
    return true;
  });
  const reason = await podsUnavailable(api.kubeconfig, { maxResponseBytes: 1024 * 1024 });
  assert.match(reason, /over the 1048576 bytes read at once/);
  const limits = api.requests.filter((r) => r.startsWith('/api/v1/pods')).map((r) => new URLSearchParams(r.split('?')[1]).get('limit'));
  assert.deepEqual(limits, ['500', '125', '31', '7', '1']);
});

test('a server that honours a smaller limit is read whole after all', async () => {
  const pods = Array.from({ length: 40 }, (_, i) => ({ metadata: { name: `p${i}`, namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'PAD', value: 'y'.repeat(20_000) }] }] } }));
  const api = await hostileServer((_req, res, url) => {
    if (!isPods(url)) return false;
    const limit = Number(url.searchParams.get('limit'));
    const start = Number(url.searchParams.get('continue') ?? 0);
    const page = pods.slice(start, start + limit);
    const next = start + limit < pods.length ? String(start + limit) : undefined;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'PodList', metadata: next ? { continue: next } : {}, items: page }));
    return true;
  });
  const read = await readCluster({ kubeconfig: api.kubeconfig, maxResponseBytes: 256 * 1024 });
  assert.equal(read.cluster.unavailable.length, 0, JSON.stringify(read.cluster.unavailable));
  assert.equal(read.inventory.ofKind('Pod').length, 40);
});

test('a slow drip ends at the request deadline, and a list at its own deadline', async () => {
  const timers: NodeJS.Timeout[] = [];
  after(() => timers.forEach(clearInterval));
  const drip = await hostileServer((_req, res, url) => {
    if (!isPods(url)) return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"items":[');
    timers.push(setInterval(() => res.write(' '), 20));
    return true;
  });
  assert.match(await podsUnavailable(drip.kubeconfig, { requestTimeoutMs: 400 }), /no complete answer .* within 0\.4s \(the server hung\)/);

  let n = 0;
  const slowPages = await hostileServer((_req, res, url) => {
    if (!isPods(url)) return false;
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ kind: 'PodList', metadata: { continue: `t${n++}` }, items: [] }));
    }, 50);
    return true;
  });
  assert.match(await podsUnavailable(slowPages.kubeconfig, { listDeadlineMs: 300 }), /the list took longer than \d+ s; given up/);
});

test('bad JSON and a wrong content type are clear errors', async () => {
  const bad = await hostileServer((_req, res, url) => {
    if (!isPods(url)) return false;
    res.setHeader('content-type', 'application/json');
    res.end('{"kind":"PodList","items":[{"metadata":');
    return true;
  });
  assert.match(await podsUnavailable(bad.kubeconfig), /not valid JSON/);
  const html = await hostileServer((_req, res, url) => {
    if (!isPods(url)) return false;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(JSON.stringify({ kind: 'PodList', metadata: {}, items: [{ metadata: { name: 'looks-like-json' } }] }));
    return true;
  });
  assert.match(await podsUnavailable(html.kubeconfig), /answered "text\/html; charset=utf-8", not JSON/);
});

test('a redirect to another host is not followed: the credentials never reach it', async () => {
  const elsewhere: { auth?: string; path: string }[] = [];
  const other = http.createServer((req, res) => {
    elsewhere.push({ auth: req.headers.authorization, path: req.url ?? '' });
    res.end('{}');
  });
  servers.push(other);
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/steal`;
  const api = await hostileServer((req, res, url) => {
    if (!isPods(url)) return false;
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`, 'the real server gets the token');
    res.writeHead(307, { location: target });
    res.end();
    return true;
  });
  assert.match(await podsUnavailable(api.kubeconfig), /redirected \(307\) to ".*\/steal"; redirects are not followed/);
  assert.deepEqual(elsewhere, []);
});

test('Secret values sent although metadata only was asked for are dropped: not in the inventory, the Result or a snapshot', async () => {
  const VALUE = 'c3VwZXItc2VjcmV0LXZhbHVl'; // base64 of a secret value
  const PLAIN = 'plain-secret-value-9d2f';
  const api = await hostileServer((req, res, url) => {
    if (url.pathname !== '/api/v1/secrets') return false;
    assert.match(String(req.headers.accept), /as=PartialObjectMetadataList/, 'the client asks for metadata only');
    // …and the server (or a proxy) sends the whole objects anyway.
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
      kind: 'SecretList',
      metadata: {},
      items: [{ metadata: { name: 'db', namespace: 'shop', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"password":"${VALUE}"}}` } }, type: 'Opaque', data: { password: VALUE }, stringData: { token: PLAIN } }],
    }));
    return true;
  });
  const read = await readCluster({ kubeconfig: api.kubeconfig });
  const secret = read.inventory.ofKind('Secret')[0]!;
  assert.equal(secret.name, 'db');
  const kept = JSON.stringify(secret.raw);
  assert.doesNotMatch(kept, new RegExp(`${VALUE}|${PLAIN}`));
  assert.equal((secret.raw as any).data, undefined);
  assert.equal((secret.raw as any).stringData, undefined);
  const result = scanClusterRead(read, {});
  assert.doesNotMatch(JSON.stringify(result), new RegExp(`${VALUE}|${PLAIN}`));
  const snapshot = path.join(dir, 'snapshot.json');
  await writeSnapshot(snapshot, read);
  assert.doesNotMatch(readFileSync(snapshot, 'utf8'), new RegExp(`${VALUE}|${PLAIN}`));
});

test('an object nested deeper than can be copied is left out and named; the rest of its list is read', async () => {
  const depth = 50_000;
  const deep = '{"x":'.repeat(depth) + '1' + '}'.repeat(depth);
  const pod = (name: string, extra = '') =>
    `{"metadata":{"name":"${name}","namespace":"shop","uid":"uid-${name}"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]${extra}}}`;
  const api = await hostileServer((_req, res, url) => {
    if (!isPods(url)) return false;
    res.setHeader('content-type', 'application/json');
    res.end(`{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[${pod('deep', `,"deep":${deep}`)},${pod('web')}]}`);
    return true;
  });
  const read = await readCluster({ kubeconfig: api.kubeconfig });
  assert.deepEqual(read.inventory.ofKind('Pod').map((p) => p.name), ['web']);
  assert.deepEqual(read.cluster.unavailable, []);
  assert.ok(
    read.inventory.problems.some((p) => p.level === 'error' && /^cluster:\/\/fake\/pods$/.test(p.source) && p.message === 'Pod shop/deep is nested too deeply to read; it is left out of the scan'),
    JSON.stringify(read.inventory.problems),
  );
  const result = scanClusterRead(read);
  assert.ok(result.findings.some((f) => f.resource.name === 'web'));
});
