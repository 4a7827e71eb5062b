// Node audits end to end through the real CLI: each node audits a real host root and publishes
// its Result (`scan --node --publish`, a server-side apply of a ConfigMap), then `scan --cluster`
// gathers them into one result, `collect` + `scan SNAPSHOT` gathers the same offline, and
// `merge` does it from files. The API server is the local HTTPS stand-in of
// test/sources/cluster/fake-apiserver.ts, so this runs without the Go-built binaries; publishing with
// the real RBAC of deploy/ and gathering are also proven against a real kube-apiserver in
// test/control-plane/deploy-rbac.test.ts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { runCli } from './run-cli.js';
import type { Result } from '../../src/result/result.js';
import { REPO_ROOT } from '../helpers.js';
import { kubeconfigText, startFakeApiServer, type FakeApiServer, type KubeObject } from '../sources/cluster/fake-apiserver.js';
import { buildRoot, FIXTURES } from '../sources/node/roots.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kh-node-audits-'));
const cpRoot = buildRoot('control-plane', 'kubeadm');
const workerRoot = buildRoot('worker', 'weak');
after(() => [dir, cpRoot, workerRoot].forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The API server's mirror pod of the kubeadm manifest, on cp-1, as the API shows static pods. */
function mirrorPod(): KubeObject {
  const pod = parse(readFileSync(path.join(FIXTURES, 'manifests', 'kube-apiserver.yaml'), 'utf8')) as KubeObject;
  pod.metadata.name = 'kube-apiserver-cp-1';
  pod.metadata.annotations = { ...pod.metadata.annotations, 'kubernetes.io/config.mirror': 'b2f1c0e7' };
  pod.spec.nodeName = 'cp-1';
  return pod;
}

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubeharden-node' } },
  ...['cp-1', 'worker-1', 'worker-2'].map((name) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { nodeInfo: { kubeletVersion: 'v1.31.4', containerRuntimeVersion: 'containerd://1.7.24' } } })),
  mirrorPod(),
];

let server: FakeApiServer;
let kubeconfig: string;
before(async () => {
  server = await startFakeApiServer(objects);
  kubeconfig = server.kubeconfig();
});
after(() => server.close());

const publish = (root: string, node: string, extra: string[] = []) =>
  runCli(['scan', '--node', '--root', root, '--node-name', node, '--publish', '--kubeconfig', kubeconfig, '-f', 'json', '-o', path.join(dir, `${node}.json`), ...extra]);

test('scan --node --publish stores the node Result as a ConfigMap by server-side apply', async () => {
  const run = await publish(cpRoot, 'cp-1');
  assert.equal(run.code, 1, run.stderr); // the kubeadm node has findings
  assert.match(run.stderr, /node audit published to configmap kubeharden-node\/node-audit-cp-1 on https:\/\/127\.0\.0\.1:\d+/);
  const patch = server.requests.find((r) => r.method === 'PATCH')!;
  assert.equal(patch.path, '/api/v1/namespaces/kubeharden-node/configmaps/node-audit-cp-1');
  assert.equal(patch.query.get('fieldManager'), 'kubeharden');
  const table = await runCli(['scan', '--node', '--root', cpRoot, '--node-name', 'cp-1', '-f', 'table', '--fail-on', 'none']);
  assert.ok(table.stdout.startsWith(`Node audit of cp-1 (host filesystem at ${cpRoot})\n`), table.stdout.slice(0, 100));
  // Under --root without --proc the target says processes were not read and how to give them.
  assert.match(table.stdout, /^Processes: not read \(--root without --proc\).*give --proc DIR/m);
  const stored = server.written('ConfigMap').find((c) => c.metadata.name === 'node-audit-cp-1')!;
  assert.equal(stored.metadata.annotations['kubeharden.io/node'], 'cp-1');
  const local = JSON.parse(readFileSync(path.join(dir, 'cp-1.json'), 'utf8')) as Result;
  assert.equal(local.target.node, 'cp-1');
  assert.match(String(local.target.processes), /not read \(--root without --proc\)/);
  assert.ok(local.findings.every((f) => f.node === 'cp-1'));
  // Published again (the next round of --every): replaced, not duplicated.
  assert.equal((await publish(cpRoot, 'cp-1')).code, 1);
  assert.equal(server.written('ConfigMap').filter((c) => c.metadata.name === 'node-audit-cp-1').length, 1);
  assert.equal((await publish(workerRoot, 'worker-1')).code, 1);
});

test('scan --cluster gathers the published audits into one result', async () => {
  const run = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Result;
  assert.deepEqual((result.target.nodeAudits as any[]).map((r) => [r.node, r.status, r.source]), [
    ['cp-1', 'current', 'configmap kubeharden-node/node-audit-cp-1'],
    ['worker-1', 'current', 'configmap kubeharden-node/node-audit-worker-1'],
    ['worker-2', 'missing', undefined],
  ]);
  assert.ok(result.errors.some((e) => e.message === '1 node(s) of the cluster have no node audit: worker-2'));
  const cp = JSON.parse(readFileSync(path.join(dir, 'cp-1.json'), 'utf8')) as Result;
  const worker = JSON.parse(readFileSync(path.join(dir, 'worker-1.json'), 'utf8')) as Result;
  assert.equal(result.findings.filter((f) => f.node === 'cp-1').length, cp.findings.length);
  assert.equal(result.findings.filter((f) => f.node === 'worker-1').length, worker.findings.length);
  // The mirror pod's flags are judged by cp-1's audit, not reported a second time.
  const profiling = result.findings.filter((f) => f.check === 'apiserver-profiling-disabled');
  assert.deepEqual(profiling.map((f) => [f.node, f.resource.kind]), [['cp-1', 'Pod']]);
  assert.equal(profiling[0]!.location.file, '/etc/kubernetes/manifests/kube-apiserver.yaml');
  const kubeconfigMode = result.checks.find((c) => c.id === 'kubelet-kubeconfig-mode')!;
  assert.deepEqual(kubeconfigMode.nodes!.map((n) => [n.node, n.status]), [['cp-1', 'pass'], ['worker-1', 'fail']]);
  // The node-audit ConfigMaps themselves raise nothing.
  assert.ok(!result.findings.some((f) => f.resource.kind === 'ConfigMap'));
});

test('the gathered result is written as PolicyReports: one ClusterPolicyReport per audited node, scoped to it', async () => {
  const run = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--write-policy-reports', '-f', 'json', '--fail-on', 'none']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Result;
  const reports = server.written('ClusterPolicyReport');
  assert.deepEqual(reports.map((r) => r.metadata.name).sort(), ['kubeharden-cluster', 'kubeharden-node-cp-1', 'kubeharden-node-worker-1']);
  const worker = reports.find((r) => r.metadata.name === 'kubeharden-node-worker-1')!;
  assert.deepEqual(worker.scope, { apiVersion: 'v1', kind: 'Node', name: 'worker-1' });
  const failed = worker.results.filter((r: KubeObject) => r.result === 'fail');
  assert.equal(failed.length, result.findings.filter((f) => f.node === 'worker-1' && !f.exception && result.checks.find((c) => c.id === f.check)!.nodes!.find((n) => n.node === 'worker-1')!.status === 'fail').length);
  assert.ok(failed.some((r: KubeObject) => r.policy === 'kubelet-kubeconfig-mode' && r.properties.file === '/etc/kubernetes/kubelet.conf'));
});

test('a scan that may not read ConfigMaps says the node audits were not gathered', async () => {
  const noConfigMaps = await startFakeApiServer(objects, { forbidden: ['configmaps'] });
  try {
    const run = await runCli(['scan', '--cluster', '--kubeconfig', noConfigMaps.kubeconfig(), '-f', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as Result;
    const warning = result.errors.find((e) => e.source === 'node audits (ConfigMaps in kubeharden-node)')!;
    assert.equal(warning.level, 'warning');
    assert.match(warning.message, /^not gathered: ConfigMaps could not be read \(forbidden \(403\)/);
    assert.equal(result.target.nodeAudits, undefined);
  } finally {
    await noConfigMaps.close();
  }
});

test('collect + scan SNAPSHOT gathers the same node audits as the live scan', async () => {
  const snapshot = path.join(dir, 'snap.json');
  assert.equal((await runCli(['collect', '--cluster', '--kubeconfig', kubeconfig, '-o', snapshot])).code, 0);
  const live = JSON.parse((await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json'])).stdout) as Result;
  const offline = JSON.parse((await runCli(['scan', snapshot, '-f', 'json'])).stdout) as Result;
  assert.deepEqual(offline.findings, live.findings);
  assert.deepEqual(offline.checks, live.checks);
  assert.deepEqual(offline.target.nodeAudits, live.target.nodeAudits);
});

test('merge gathers node audit files with a cluster result, as the live scan does', async () => {
  const clusterFile = path.join(dir, 'cluster.json');
  // The cluster scan without the published records: what a user has who collects node Jobs' logs.
  const bare = await startFakeApiServer(objects);
  try {
    const run = await runCli(['scan', '--cluster', '--kubeconfig', bare.kubeconfig(), '-f', 'json', '-o', clusterFile, '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
  } finally {
    await bare.close();
  }
  const merged = await runCli(['merge', clusterFile, path.join(dir, 'cp-1.json'), path.join(dir, 'worker-1.json'), '-f', 'json', '--fail-on', 'none']);
  assert.equal(merged.code, 0, merged.stderr);
  const result = JSON.parse(merged.stdout) as Result;
  const live = JSON.parse((await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none'])).stdout) as Result;
  const bySignature = (r: Result) => r.findings.map((f) => `${f.node ?? ''} ${f.check} ${f.resource.kind} ${f.resource.name} ${f.location.path}`).sort();
  // merge cannot see which node the mirror pod runs on, so its flag findings stay beside cp-1's
  // audit; everything else is exactly the live result.
  const merged_ = bySignature(result);
  const live_ = bySignature(live);
  const extra = merged_.filter((s) => !live_.includes(s));
  assert.ok(extra.length > 0);
  assert.ok(extra.every((s) => / Pod kube-apiserver-cp-1 spec\.containers\[0\]\.command/.test(s)), extra.join('\n'));
  assert.deepEqual(live_.filter((s) => !merged_.includes(s)), []);
  assert.deepEqual((result.target.nodeAudits as any[]).map((r) => r.node), ['cp-1', 'worker-1']);

  const table = await runCli(['merge', path.join(dir, 'cp-1.json'), path.join(dir, 'worker-1.json'), '-f', 'table', '--fail-on', 'none']);
  assert.match(table.stdout, /^worker-1:\/etc\/kubernetes\/kubelet\.conf$/m, 'a node finding is shown with its node');
  const sarif = JSON.parse((await runCli(['merge', path.join(dir, 'cp-1.json'), path.join(dir, 'worker-1.json'), '-f', 'sarif', '--fail-on', 'none'])).stdout);
  const results = sarif.runs[0].results as { properties: { node?: string }; locations: { logicalLocations: { name: string }[] }[] }[];
  assert.ok(results.length > 0 && results.every((r) => r.properties.node === 'cp-1' || r.properties.node === 'worker-1'));
  assert.ok(results.some((r) => r.locations[0]!.logicalLocations[0]!.name.startsWith('node worker-1: File/')));
});

test('merge refuses two base results and reports unreadable node files by name', async () => {
  const clusterFile = path.join(dir, 'cluster.json');
  const two = await runCli(['merge', clusterFile, clusterFile]);
  assert.equal(two.code, 2);
  assert.match(two.stderr, /only one result that is not a node audit can be merged/);
  const broken = path.join(dir, 'broken-node.json');
  writeFileSync(broken, JSON.stringify({ schemaVersion: 1, target: { type: 'node' } }));
  const run = await runCli(['merge', clusterFile, broken, '-f', 'json']);
  assert.equal(run.code, 2, 'an unreadable node audit is an input error');
  const result = JSON.parse(run.stdout) as Result;
  assert.ok(result.errors.some((e) => e.source === broken && /not a kubeharden node Result: tool/.test(e.message)));
  const gathered = path.join(dir, 'gathered.json');
  writeFileSync(gathered, (await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json'])).stdout);
  const twice = await runCli(['merge', gathered, path.join(dir, 'cp-1.json')]);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /gathered\.json already gathers node audits .*counted twice/);
  const missing = await runCli(['merge', path.join(dir, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.json: .*(no such file|does not exist)/i);
});

test('publishing fails clearly: forbidden, a namespace that does not exist, no kubeconfig', async () => {
  const forbidden = await startFakeApiServer(objects, { writeForbidden: ['configmaps'] });
  try {
    const run = await runCli(['scan', '--node', '--root', workerRoot, '--node-name', 'worker-1', '--publish', '--kubeconfig', forbidden.kubeconfig(), '-f', 'json', '-o', path.join(dir, 'x.json')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /could not publish the node audit to configmap kubeharden-node\/node-audit-worker-1 .*forbidden; the ServiceAccount needs create and patch on configmaps in namespace kubeharden-node/);
    assert.doesNotMatch(run.stderr, new RegExp(forbidden.token), 'the token is never printed');
  } finally {
    await forbidden.close();
  }
  const noNamespace = await runCli(['scan', '--node', '--root', workerRoot, '--node-name', 'worker-1', '--publish', '--publish-namespace', 'audits', '--kubeconfig', kubeconfig, '-f', 'json', '-o', path.join(dir, 'y.json')]);
  assert.equal(noNamespace.code, 2);
  assert.match(noNamespace.stderr, /namespace audits does not exist/);
  const noConfig = await runCli(['scan', '--node', '--root', workerRoot, '--publish', '--kubeconfig', path.join(dir, 'absent'), '-f', 'json', '-o', path.join(dir, 'z.json')]);
  assert.equal(noConfig.code, 2);
  assert.match(noConfig.stderr, /kubeconfig .*absent does not exist/);
  const manifests = await runCli(['scan', 'examples/demo-cluster', '--node-audits-max-age', '2d']);
  assert.equal(manifests.code, 2);
  assert.match(manifests.stderr, /--node-audits-max-age go with --cluster or a snapshot/);
  const usage = await runCli(['scan', '--node', '--root', workerRoot, '--every', '1h']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--every repeats the audit for --publish/);
  // A wrong --root will not mend itself: --every ends at once instead of retrying forever.
  const badRoot = await runCli(['scan', '--node', '--root', path.join(dir, 'no-such-root'), '--publish', '--every', '1s', '--kubeconfig', kubeconfig]);
  assert.equal(badRoot.code, 2);
  assert.match(badRoot.stderr, /no-such-root: no such folder/);
});

/** Runs `scan --node --publish --every 1s` until `rounds` rounds ended as `pattern` says, then stops it; returns its stderr. */
async function everyRounds(node: string, config: string, pattern: RegExp, rounds = 2): Promise<string> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), 'scan', '--node', '--root', workerRoot, '--node-name', node, '--publish', '--every', '1s', '--kubeconfig', config, '--request-timeout', '5', '-f', 'json', '-o', path.join(dir, `${node}.json`)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${rounds} rounds not seen within 30 s: ${stderr}`)), 30_000);
    child.stderr!.on('data', (d) => {
      stderr += d;
      if ((stderr.match(new RegExp(pattern.source, 'g')) ?? []).length >= rounds) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`stopped by itself (exit ${code}): ${stderr}`)));
  }).finally(() => child.kill());
  return stderr;
}

test('--every repeats the audit and the publication until stopped', async () => {
  await everyRounds('worker-3', kubeconfig, /node worker-3 audited \(exit 1\); next audit in/);
  const patches = server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/node-audit-worker-3'));
  assert.ok(patches.length >= 2, `published every round (${patches.length})`);
});

test('--every: a publication that fails (API server unreachable) is reported and retried the next round', async () => {
  const unreachable = path.join(dir, 'unreachable.kubeconfig');
  writeFileSync(unreachable, kubeconfigText('https://127.0.0.1:1', server.pki.ca, server.token));
  const stderr = await everyRounds('worker-4', unreachable, /node worker-4 audited \(exit 2\); next audit in/);
  assert.match(stderr, /could not publish the node audit to configmap kubeharden-node\/node-audit-worker-4 .*connection refused/);
});
