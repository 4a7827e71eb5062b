// The live-cluster source against a local HTTPS server that answers with the Kubernetes API's
// real shapes (see fake-apiserver.ts), so it runs without the Go-built binaries; the same reads
// against a real kube-apiserver are in test/control-plane/live-scan.test.ts. The client side is real: @kubernetes/client-node loads a real kubeconfig with a
// CA and a bearer token, and requests go over TLS.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCluster } from '../../../src/sources/cluster/source.js';
import { ClusterSourceError } from '../../../src/sources/cluster/kubeconfig.js';
import { scanCluster, scanClusterRead } from '../../../src/engine/scan-cluster.js';
import { scanManifests } from '../../../src/engine/scan.js';
import type { Result } from '../../../src/result/result.js';
import { startFakeApiServer, type FakeApiServer, type KubeObject } from './fake-apiserver.js';
import { corpusCluster } from './corpus-cluster.js';

let corpus: KubeObject[];
let server: FakeApiServer;

before(async () => {
  corpus = await corpusCluster();
  server = await startFakeApiServer(corpus);
});
after(() => server.close());

/** Findings without where they were read from (a file and line offline, `cluster://` live). */
export function comparable(result: Result) {
  return {
    checks: result.checks,
    findings: result.findings
      .map(({ location, ...f }) => ({ ...f, path: location.path }))
      .map((f) => JSON.stringify(f))
      .sort(),
    errors: result.errors.map((e) => e.message).sort(),
    objects: result.summary.objects,
  };
}

test('the corpus cluster holds many kinds, enough objects to paginate', () => {
  const kinds = new Set(corpus.map((o) => o.kind));
  for (const kind of ['Deployment', 'DaemonSet', 'StatefulSet', 'Pod', 'Namespace', 'ServiceAccount', 'ConfigMap', 'Secret', 'ClusterRole', 'NetworkPolicy']) {
    assert.ok(kinds.has(kind), `corpus has no ${kind}`);
  }
  assert.ok(corpus.length > 500, `only ${corpus.length} objects`);
});

test('a live scan gives the same result as scanning the same objects as files', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-live-vs-files-'));
  const file = path.join(dir, 'cluster.json');
  const read = await readCluster({ kubeconfig: server.kubeconfig(), pageSize: 37, concurrency: 3 });
  // The /version answer enters the inventory as an object with the time of the read; the files get the same one.
  const [version] = read.inventory.ofKind('APIServerVersion');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [version!.raw, ...corpus] }));
  const offline = await scanManifests([file]);
  const live = scanClusterRead(read);
  assert.equal(live.target.type, 'cluster');
  assert.equal(live.target.context, 'fake');
  assert.equal(live.target.serverVersion, 'v1.31.4');
  assert.deepEqual(comparable(live), comparable(offline));
  assert.ok(live.findings.length > 100, 'the corpus has findings');
  assert.deepEqual(live.target.kubeletVersions, { 'v1.31.4': 1, 'v1.30.10': 1, 'v1.27.16': 1 });
  assert.deepEqual(live.target.containerRuntimes, { 'containerd://1.7.24': 3 });
  const versionChecks = live.checks.filter((c) => ['apiserver-version-supported', 'kubelet-version-within-skew', 'kubelet-version-supported'].includes(c.id));
  assert.deepEqual(versionChecks.map((c) => [c.id, c.status, c.failed]), [
    ['apiserver-version-supported', 'fail', 1],
    ['kubelet-version-within-skew', 'fail', 1],
    ['kubelet-version-supported', 'fail', 3],
  ]);
  const f = live.findings[0]!;
  assert.match(f.location.file, /^cluster:\/\/fake\//);
  assert.equal(f.location.line, undefined, 'live objects have no line numbers');
});

test('lists are paginated with limit and continue; Secrets are asked for as metadata only', async () => {
  const start = server.requests.length;
  const { inventory } = await readCluster({ kubeconfig: server.kubeconfig(), pageSize: 10 });
  const requests = server.requests.slice(start);
  const pods = requests.filter((r) => r.path === '/api/v1/pods');
  const expectedPods = corpus.filter((o) => o.kind === 'Pod').length;
  assert.equal(pods.length, Math.ceil(expectedPods / 10));
  assert.ok(pods.every((r) => r.query.get('limit') === '10'));
  assert.equal(pods.filter((r) => r.query.has('continue')).length, pods.length - 1);
  assert.equal(inventory.ofKind('Pod').length, expectedPods);

  const secrets = requests.filter((r) => r.path === '/api/v1/secrets');
  assert.ok(secrets.length > 0 && secrets.every((r) => r.accept.startsWith('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1')));
  const listedSecrets = inventory.ofKind('Secret');
  assert.equal(listedSecrets.length, corpus.filter((o) => o.kind === 'Secret').length);
  for (const secret of listedSecrets) {
    assert.deepEqual(Object.keys(secret.raw), ['apiVersion', 'kind', 'metadata'], 'a Secret holds metadata only');
    assert.equal(secret.apiVersion, 'v1');
  }
});

test('controllers first: Pods and ReplicaSets made by a listed controller are left out, bare ones kept', async () => {
  const uid = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;
  const owner = (kind: string, name: string, id: string) => [{ apiVersion: 'apps/v1', kind, name, uid: id, controller: true, blockOwnerDeletion: true }];
  const pod = (name: string, metadata: KubeObject = {}) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'app', ...metadata }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
  });
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };
  const objects: KubeObject[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'app', uid: uid(1) }, spec: { selector: { matchLabels: { app: 'web' } }, template } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d4', namespace: 'app', uid: uid(2), ownerReferences: owner('Deployment', 'web', uid(1)) }, spec: { selector: { matchLabels: { app: 'web' } }, template } },
    pod('web-5d4-abcde', { ownerReferences: owner('ReplicaSet', 'web-5d4', uid(2)) }),
    pod('bare'),
    pod('by-operator', { ownerReferences: owner('MyOperatorThing', 'x', uid(9)) }),
    pod('not-controller', { ownerReferences: [{ ...owner('ReplicaSet', 'web-5d4', uid(2))[0], controller: false }] }),
  ];
  const small = await startFakeApiServer(objects);
  try {
    const { inventory, cluster } = await readCluster({ kubeconfig: small.kubeconfig() });
    assert.deepEqual(inventory.ofKind('Pod').map((p) => p.name).sort(), ['bare', 'by-operator', 'not-controller']);
    assert.deepEqual(inventory.ofKind('ReplicaSet').map((p) => p.name), []);
    assert.deepEqual(inventory.ofKind('Deployment').map((p) => p.name), ['web']);
    assert.deepEqual(cluster.ownedByScannedControllers, { pods: 1, 'replicasets.apps': 1 });
    assert.equal(cluster.objects.pods, 3);
  } finally {
    await small.close();
  }
});

test('a 403 on a resource: recorded with the permission that would fix it, and checks that read it skip', async () => {
  const denied = await startFakeApiServer(corpus, { forbidden: ['nodes', 'serviceaccounts'] });
  try {
    const result = await scanCluster({ kubeconfig: denied.kubeconfig() });
    const unavailable = result.target.unavailable as { kind: string; reason: string; permission?: string }[];
    assert.deepEqual(unavailable.map((u) => u.kind), ['Node', 'ServiceAccount']);
    assert.equal(unavailable[0]!.permission, 'list nodes (apiGroup "")');
    assert.equal(unavailable[1]!.permission, 'list serviceaccounts (apiGroup "") in all namespaces (a ClusterRole)');
    assert.match(unavailable[0]!.reason, /^forbidden \(403\): nodes is forbidden: User "system:serviceaccount:kubeharden:scanner" cannot list resource "nodes"/);

    const check = (id: string) => result.checks.find((c) => c.id === id)!;
    // Reads ServiceAccount objects, found none it could see: a skip naming the permission, never a pass.
    const sa = check('default-service-account-token-not-automounted');
    assert.equal(sa.status, 'skip');
    assert.match(sa.reason!, /could not read ServiceAccount \(forbidden \(403\).*needs list serviceaccounts/);
    // Still fails where it saw a problem, and says it saw only part.
    const automount = check('pod-service-account-token-not-automounted');
    assert.equal(automount.status, 'fail');
    assert.match(automount.reason!, /^incomplete: could not read ServiceAccount/);
    // Checks that read neither kind are unaffected.
    assert.equal(check('container-read-only-root-filesystem').status, 'fail');
    assert.equal(check('container-read-only-root-filesystem').reason, undefined);

    const warnings = result.errors.filter((e) => e.source === 'cluster://fake/nodes');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.level, 'warning');
    assert.match(warnings[0]!.message, /could not read nodes: forbidden.*the scan needs list nodes/);
  } finally {
    await denied.close();
  }
});

test('a resource the server does not serve (404) is recorded as such', async () => {
  const old = await startFakeApiServer([], { notServed: ['runtimeclasses'] });
  try {
    const { inventory, cluster } = await readCluster({ kubeconfig: old.kubeconfig() });
    assert.deepEqual(cluster.unavailable, [{ kind: 'RuntimeClass', reason: 'not served by this API server (404 for node.k8s.io/v1 runtimeclasses)' }]);
    assert.equal(inventory.unavailable.get('RuntimeClass')?.reason, cluster.unavailable[0]!.reason);
  } finally {
    await old.close();
  }
});

test('410 Gone on a continued list restarts the list from the start, without duplicates', async () => {
  const expiring = await startFakeApiServer(corpus, { expireContinueOnce: ['configmaps'] });
  try {
    const { inventory, cluster } = await readCluster({ kubeconfig: expiring.kubeconfig(), pageSize: 20 });
    const expected = corpus.filter((o) => o.kind === 'ConfigMap').length;
    assert.equal(inventory.ofKind('ConfigMap').length, expected);
    assert.deepEqual(cluster.unavailable, []);
    const fresh = expiring.requests.filter((r) => r.path === '/api/v1/configmaps' && !r.query.has('continue'));
    assert.equal(fresh.length, 2, 'the list started twice');
  } finally {
    await expiring.close();
  }
});

test('429 waits as long as Retry-After says, then continues', async () => {
  const throttling = await startFakeApiServer(corpus, { throttleOnce: { pods: 3, secrets: 1 } });
  const waits: number[] = [];
  try {
    const { inventory } = await readCluster({ kubeconfig: throttling.kubeconfig(), sleep: async (ms) => void waits.push(ms) });
    assert.deepEqual(waits.sort(), [1000, 3000]);
    assert.equal(inventory.ofKind('Pod').length, corpus.filter((o) => o.kind === 'Pod').length);
    assert.deepEqual([...inventory.unavailable.keys()], []);
  } finally {
    await throttling.close();
  }
});

test('--namespace reads namespaced resources of that namespace and its own Namespace object', async () => {
  const namespaces = corpus.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name as string);
  const ns = namespaces.find((n) => corpus.some((o) => o.kind === 'Deployment' && o.metadata.namespace === n))!;
  const start = server.requests.length;
  const { inventory, cluster } = await readCluster({ kubeconfig: server.kubeconfig(), namespace: ns });
  const paths = new Set(server.requests.slice(start).map((r) => r.path));
  assert.ok(paths.has(`/apis/apps/v1/namespaces/${ns}/deployments`));
  assert.ok(paths.has(`/api/v1/namespaces/${ns}`));
  assert.ok(paths.has('/api/v1/nodes'), 'cluster-scoped kinds are still read');
  assert.ok(!paths.has('/api/v1/pods'));
  assert.deepEqual(inventory.ofKind('Namespace').map((n) => n.name), [ns]);
  assert.ok(inventory.ofKind('Deployment').every((d) => d.namespace === ns));
  assert.equal(cluster.namespace, ns);
  await assert.rejects(readCluster({ kubeconfig: server.kubeconfig(), namespace: 'no-such-namespace' }), (err: Error) =>
    err instanceof ClusterSourceError && /namespace "no-such-namespace" does not exist/.test(err.message));
});

test('progress is reported after every page and once per resource', async () => {
  const seen: string[] = [];
  await readCluster({ kubeconfig: server.kubeconfig(), pageSize: 100, concurrency: 1, onProgress: (p) => seen.push(`${p.resource} ${p.resourcesDone}/${p.resourcesTotal} ${p.objects}`) });
  const pods = corpus.filter((o) => o.kind === 'Pod').length;
  const podLines = seen.filter((l) => l.startsWith('pods '));
  // Pods are listed last: two pages, then the resource is done.
  assert.deepEqual(podLines.map((l) => l.split(' ')[1]), ['24/25', '24/25', '25/25']);
  assert.equal(Number(podLines[1]!.split(' ')[2]) - Number(podLines[0]!.split(' ')[2]), pods - 100);
  assert.equal(seen.at(-1), `pods 25/25 ${corpus.length + 1}`);
});

test('a client certificate from the kubeconfig authenticates', async () => {
  const user = `    client-certificate-data: ${server.pki.clientCert.toString('base64')}\n    client-key-data: ${server.pki.clientKey.toString('base64')}\n`;
  const { inventory } = await readCluster({ kubeconfig: server.kubeconfig({ user }) });
  assert.equal(inventory.ofKind('Pod').length, corpus.filter((o) => o.kind === 'Pod').length);
});

test('an exec credential plugin from the kubeconfig supplies the token', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-exec-'));
  const plugin = path.join(dir, 'plugin.mjs');
  const runs = path.join(dir, 'runs');
  writeFileSync(
    plugin,
    `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(runs)}, 'ran\\n');\n` +
      `const expirationTimestamp = new Date(Date.now() + 3600_000).toISOString();\n` +
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(server.token)}, expirationTimestamp } }));\n`,
  );
  const user = `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${JSON.stringify(process.execPath)}\n      args: [${JSON.stringify(plugin)}]\n      interactiveMode: Never\n`;
  const { inventory } = await readCluster({ kubeconfig: server.kubeconfig({ user }) });
  assert.equal(inventory.ofKind('Namespace').length, corpus.filter((o) => o.kind === 'Namespace').length);
  assert.equal(readFileSync(runs, 'utf8'), 'ran\n', 'the credential is cached until it expires');
});
