// Every way reading a cluster can go wrong ends in a clear error naming the cause, in bounded
// time. The server is the local HTTPS stand-in for the API server (fake-apiserver.ts): these are
// faults a real kube-apiserver cannot be made to produce (throttling, expired continue tokens,
// hangs, malformed bodies).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCluster } from '../../../src/sources/cluster/source.js';
import { ClusterSourceError, loadKubeConfig } from '../../../src/sources/cluster/kubeconfig.js';
import { kubeconfigText, startFakeApiServer, type FakeApiServer, type KubeObject } from './fake-apiserver.js';

const pods: KubeObject[] = Array.from({ length: 30 }, (_, i) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'app' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
}));

let server: FakeApiServer;
before(async () => {
  server = await startFakeApiServer(pods);
});
after(() => server.close());

const dir = mkdtempSync(path.join(tmpdir(), 'kh-bad-cluster-'));
function writeConfig(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.ok(err instanceof ClusterSourceError, `expected a ClusterSourceError, got ${err?.constructor?.name}: ${err?.message}`);
    assert.match(err.message, pattern);
    return true;
  });
}

test('a kubeconfig that does not exist', async () => {
  await assert.rejects(loadKubeConfig({ kubeconfig: path.join(dir, 'missing') }), /kubeconfig .*missing does not exist/);
});

test('no kubeconfig anywhere and not in a pod', async () => {
  await assert.rejects(loadKubeConfig({ env: {}, home: dir }), /no kubeconfig found: give --kubeconfig FILE, set \$KUBECONFIG/);
});

test('$KUBECONFIG is used, and the first file that is missing is named', async () => {
  const file = server.kubeconfig();
  assert.equal((await loadKubeConfig({ env: { KUBECONFIG: file }, home: dir })).context, 'fake');
  await assert.rejects(loadKubeConfig({ env: { KUBECONFIG: `${file}${path.delimiter}${path.join(dir, 'gone')}` }, home: dir }), /kubeconfig .*gone does not exist/);
});

test('a context the kubeconfig does not have: the error lists the ones it has', async () => {
  await assert.rejects(loadKubeConfig({ kubeconfig: server.kubeconfig(), context: 'prod' }), /context "prod" is not in .*; its contexts are: fake/);
});

test('a kubeconfig that is not YAML, and one whose context names a missing cluster', async () => {
  await assert.rejects(loadKubeConfig({ kubeconfig: writeConfig('garbage', 'clusters: [\n') }), /kubeconfig .*garbage could not be read/);
  const noCluster = kubeconfigText('https://127.0.0.1:1', null, 't').replace('cluster: fake-cluster', 'cluster: elsewhere');
  await assert.rejects(loadKubeConfig({ kubeconfig: writeConfig('nocluster', noCluster) }), /names cluster "elsewhere", which is not defined there/);
});

test('an unreachable server: connection refused', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const file = writeConfig('refused', kubeconfigText(`https://127.0.0.1:${port}`, server.pki.ca, server.token));
  await rejectsWith(readCluster({ kubeconfig: file }), new RegExp(`cannot reach the API server at https://127.0.0.1:${port}: connection refused`));
});

test('a certificate the kubeconfig does not trust', async () => {
  await rejectsWith(readCluster({ kubeconfig: server.kubeconfig({ caData: null }) }), /the certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN): .*give the cluster.s CA as certificate-authority/);
});

test('a certificate for another host name', async () => {
  const file = writeConfig('localhost', kubeconfigText(server.url.replace('127.0.0.1', 'localhost'), server.pki.ca, server.token));
  await rejectsWith(readCluster({ kubeconfig: file }), /does not name that host/);
});

test('an expired or wrong token: 401, and the token is not printed', async () => {
  const secretToken = 'expired-token-abcdef123456';
  await assert.rejects(readCluster({ kubeconfig: server.kubeconfig({ token: secretToken }) }), (err: Error) => {
    assert.ok(err instanceof ClusterSourceError);
    assert.match(err.message, /rejected the credentials of user "scanner" \(401 Unauthorized\): the token or client certificate is invalid or expired/);
    assert.ok(!err.message.includes(secretToken));
    return true;
  });
});

test('a server that hangs mid-list: that resource is unavailable after the deadline, the rest is read', async () => {
  const hanging = await startFakeApiServer(pods, { hangMidList: 'pods' });
  try {
    const { inventory, cluster } = await readCluster({ kubeconfig: hanging.kubeconfig(), pageSize: 10, requestTimeoutMs: 300 });
    assert.deepEqual(cluster.unavailable.map((u) => u.kind), ['Pod']);
    assert.match(cluster.unavailable[0]!.reason, /GET \/api\/v1\/pods: no complete answer from https:\/\/127\.0\.0\.1:\d+ within 0\.3s \(the server hung\)/);
    assert.equal(inventory.ofKind('Pod').length, 0, 'a half-read list is not kept');
    const problem = inventory.problems.find((p) => p.source === 'cluster://fake/pods')!;
    assert.equal(problem.level, 'error');
  } finally {
    await hanging.close();
  }
});

test('a server that hangs on its first answer: the scan stops with a clear error', async () => {
  const silent = net.createServer(() => {}).listen(0, '127.0.0.1');
  await new Promise((resolve) => silent.once('listening', resolve));
  const port = (silent.address() as net.AddressInfo).port;
  try {
    const file = writeConfig('silent', kubeconfigText(`https://127.0.0.1:${port}`, server.pki.ca, server.token));
    await rejectsWith(readCluster({ kubeconfig: file, requestTimeoutMs: 300 }), /does not answer like a Kubernetes API server: GET \/version: no complete answer .* within 0\.3s/);
  } finally {
    silent.close();
  }
});

test('malformed JSON in a list: that resource is unavailable and named', async () => {
  const broken = await startFakeApiServer(pods, { malformed: 'pods' });
  try {
    const { cluster } = await readCluster({ kubeconfig: broken.kubeconfig() });
    assert.equal(cluster.unavailable.length, 1);
    assert.match(cluster.unavailable[0]!.reason, /^GET \/api\/v1\/pods: the server's answer is not valid JSON/);
  } finally {
    await broken.close();
  }
});

test('an exec credential plugin that does not answer: the scan stops at the request deadline, naming the user', async () => {
  // Answers nothing for 5 s, then exits (so no process is left behind for long).
  const plugin = writeConfig('silent-plugin.mjs', 'setTimeout(() => {}, 5000);\n');
  const user = `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${JSON.stringify(process.execPath)}\n      args: [${JSON.stringify(plugin)}]\n      interactiveMode: Never\n`;
  const started = Date.now();
  await rejectsWith(
    readCluster({ kubeconfig: server.kubeconfig({ user }), requestTimeoutMs: 500 }),
    /could not prepare the connection \(credentials of user "scanner"\) for context "fake": no credentials within 0\.5s \(an exec credential plugin or token provider that does not answer\)/,
  );
  assert.ok(Date.now() - started < 4000, 'ended at the deadline, not when the plugin gave up');
});

test('an exec credential plugin that fails: the scan stops naming the user', async () => {
  const user = `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${JSON.stringify(path.join(dir, 'no-such-plugin'))}\n      interactiveMode: Never\n`;
  await rejectsWith(readCluster({ kubeconfig: server.kubeconfig({ user }) }), /could not prepare the connection \(credentials of user "scanner"\) for context "fake"/);
});
