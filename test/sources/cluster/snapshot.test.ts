// Snapshots: a live read saved and scanned offline gives the same result as the live scan.
// The live side reads the local HTTPS stand-in for the API server (fake-apiserver.ts), so this runs
// without the Go-built binaries; collect + scan SNAPSHOT against a real kube-apiserver is in
// test/control-plane/live-scan.test.ts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCluster } from '../../../src/sources/cluster/source.js';
import { isSnapshotFile, readSnapshot, writeSnapshot } from '../../../src/sources/snapshot.js';
import { scanCluster, scanSnapshot } from '../../../src/engine/scan-cluster.js';
import type { Result } from '../../../src/result/result.js';
import { startFakeApiServer, type FakeApiServer, type KubeObject } from './fake-apiserver.js';
import { corpusCluster } from './corpus-cluster.js';

const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXZhbHVl';
const secret: KubeObject = {
  apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
  metadata: {
    name: 'db', namespace: 'default',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { password: SECRET_VALUE } }), team: 'db' },
  },
  data: { password: SECRET_VALUE },
};

let server: FakeApiServer;
const dir = mkdtempSync(path.join(tmpdir(), 'kh-snapshot-'));
before(async () => {
  server = await startFakeApiServer([...(await corpusCluster()), secret], { forbidden: ['nodes'] });
});
after(() => server.close());

function sameScan(result: Result) {
  const { target: _t, ...rest } = result;
  return rest;
}

test('collect then scan offline: the same checks, findings and errors as the live scan', async () => {
  const file = path.join(dir, 'snap.json');
  await writeSnapshot(file, await readCluster({ kubeconfig: server.kubeconfig(), pageSize: 100 }));
  const live = await scanCluster({ kubeconfig: server.kubeconfig() });
  const offline = await scanSnapshot(file);
  assert.deepEqual(sameScan(offline), sameScan(live));
  assert.equal(offline.target.type, 'snapshot');
  assert.equal(offline.target.context, 'fake');
  assert.deepEqual(offline.target.unavailable, live.target.unavailable);
  assert.equal((live.target.unavailable as unknown[]).length, 1);
  assert.ok(live.checks.some((c) => c.status === 'skip' && /could not read Node/.test(c.reason ?? '')));
});

test('a snapshot holds no Secret values, not even in a last-applied annotation', async () => {
  const file = path.join(dir, 'secrets.json');
  await writeSnapshot(file, await readCluster({ kubeconfig: server.kubeconfig() }));
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes(SECRET_VALUE));
  const { inventory } = await readSnapshot(file);
  const db = inventory.find('Secret', 'default', 'db')!;
  assert.deepEqual(db.raw, { apiVersion: 'v1', kind: 'Secret', metadata: { ...secret.metadata, annotations: { team: 'db' }, uid: db.raw.metadata && (db.raw.metadata as KubeObject).uid, resourceVersion: '4242' } });
});

test('snapshots are told apart from manifests by their kind', async () => {
  const file = path.join(dir, 'snap2.json');
  await writeSnapshot(file, await readCluster({ kubeconfig: server.kubeconfig() }));
  assert.equal(await isSnapshotFile(file), true);
  const manifest = path.join(dir, 'list.json');
  writeFileSync(manifest, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }));
  assert.equal(await isSnapshotFile(manifest), false);
  assert.equal(await isSnapshotFile(dir), false);
  assert.equal(await isSnapshotFile(path.join(dir, 'missing.json')), false);
});

test('a broken snapshot is a clear error', async () => {
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  await assert.rejects(readSnapshot(write('cut.json', '{"apiVersion":"kubeharden.io/v1","kind":"KubehardenSnapshot","objects":[')), /snapshot .*cut\.json: not valid JSON/);
  await assert.rejects(readSnapshot(write('future.json', '{"apiVersion":"kubeharden.io/v9","kind":"KubehardenSnapshot"}')), /has apiVersion kubeharden\.io\/v9; this kubeharden reads kubeharden\.io\/v1/);
  await assert.rejects(readSnapshot(write('empty.json', '{"apiVersion":"kubeharden.io/v1","kind":"KubehardenSnapshot"}')), /has no cluster or objects/);
  await assert.rejects(readSnapshot(path.join(dir, 'nope.json')), /snapshot .*nope\.json: no such file or folder/);
  const bad = write('bad-object.json', JSON.stringify({ apiVersion: 'kubeharden.io/v1', kind: 'KubehardenSnapshot', cluster: { context: 'x', server: 's', objects: {}, ownedByScannedControllers: {}, unavailable: [] }, objects: [{ source: 'cluster://x/pods', object: 7 }] }));
  const { inventory } = await readSnapshot(bad);
  assert.equal(inventory.size, 0);
  assert.match(inventory.problems[0]!.message, /not a Kubernetes object/);
});

test('a hand-edited snapshot: cluster fields missing or of the wrong type, an object nested too deeply — the rest is scanned', async () => {
  const depth = 50_000;
  const deep = '{"x":'.repeat(depth) + '1' + '}'.repeat(depth);
  const pod = (name: string, extra = '') =>
    `{"source":"cluster://x/pods","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}","namespace":"shop"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]${extra}}}}`;
  const file = path.join(dir, 'edited.json');
  writeFileSync(
    file,
    `{"apiVersion":"kubeharden.io/v1","kind":"KubehardenSnapshot","cluster":{"context":7,"objects":"many","unavailable":[{"kind":"Node"},{"kind":"Secret","reason":"forbidden"}]},` +
      `"objects":[${pod('deep', `,"deep":${deep}`)},${pod('web')}]}`,
  );
  const result = await scanSnapshot(file);
  assert.deepEqual(result.errors.map((e) => [e.source, e.message]), [[`${file}#objects[0]`, 'Pod shop/deep is nested too deeply to read; it is left out of the scan']]);
  assert.equal(result.summary.objects, 1);
  assert.ok(result.findings.some((f) => f.resource.name === 'web'));
  assert.equal(result.target.context, '');
  assert.deepEqual(result.target.resources, {});
  assert.deepEqual(result.target.unavailable, [{ kind: 'Secret', reason: 'forbidden' }]);
});
