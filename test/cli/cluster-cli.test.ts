// `scan --cluster`, `collect` and `scan SNAPSHOT` through the real CLI, against the local HTTPS
// stand-in for the API server (test/sources/cluster/fake-apiserver.ts), so it runs without the
// Go-built binaries and can serve faults; the same commands against a real kube-apiserver are in
// test/control-plane/live-scan.test.ts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli.js';
import type { Result } from '../../src/result/result.js';
import { startFakeApiServer, type FakeApiServer, type KubeObject } from '../sources/cluster/fake-apiserver.js';

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'api:1' }] } } } },
];

let server: FakeApiServer;
const dir = mkdtempSync(path.join(tmpdir(), 'kh-cluster-cli-'));
before(async () => {
  server = await startFakeApiServer(objects, { forbidden: ['secrets'] });
});
after(() => server.close());

test('scan --cluster prints the Result of the live cluster; findings name cluster:// sources', async () => {
  const run = await runCli(['scan', '--cluster', '--kubeconfig', server.kubeconfig(), '--format', 'json']);
  assert.equal(run.code, 1, run.stderr);
  const result = JSON.parse(run.stdout) as Result;
  assert.equal(result.target.type, 'cluster');
  assert.equal(result.summary.objects, 4, 'three objects and the API server version');
  const privileged = result.findings.find((f) => f.check === 'container-not-privileged')!;
  assert.deepEqual(privileged.location, { file: 'cluster://fake/pods', path: 'spec.containers[0].securityContext.privileged' });
  assert.ok(result.errors.some((e) => e.level === 'warning' && /could not read secrets: forbidden/.test(e.message)));
});

test('scan --cluster prints a table too (no line numbers)', async () => {
  const run = await runCli(['scan', '--cluster', '--kubeconfig', server.kubeconfig(), '--format', 'table', '--fail-on', 'none']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /cluster:\/\/fake\/pods/);
  assert.match(run.stdout, /container-not-privileged/);
});

test('collect writes a snapshot; scan SNAPSHOT gives the live findings', async () => {
  const snapshot = path.join(dir, 'snap.json');
  const collect = await runCli(['collect', '--cluster', '--kubeconfig', server.kubeconfig(), '-o', snapshot]);
  assert.equal(collect.code, 0, collect.stderr);
  assert.match(collect.stderr, /wrote 4 objects of context fake to .*snap\.json; could not read: Secret/);
  const offline = JSON.parse((await runCli(['scan', snapshot, '--format', 'json'])).stdout) as Result;
  const live = JSON.parse((await runCli(['scan', '--cluster', '--kubeconfig', server.kubeconfig(), '--format', 'json'])).stdout) as Result;
  assert.equal(offline.target.type, 'snapshot');
  assert.deepEqual(offline.findings, live.findings);
  assert.deepEqual(offline.checks, live.checks);
});

test('--namespace and --context are passed through', async () => {
  const run = await runCli(['scan', '--cluster', '--kubeconfig', server.kubeconfig({ context: 'staging' }), '--context', 'staging', '-n', 'shop', '--format', 'json']);
  const result = JSON.parse(run.stdout) as Result;
  assert.equal(result.target.context, 'staging');
  assert.equal(result.target.namespace, 'shop');
});

test('a cluster that cannot be read: exit 2 and the cause on stderr', async () => {
  const missing = await runCli(['scan', '--cluster', '--kubeconfig', path.join(dir, 'nope')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^kubeharden: kubeconfig .*nope does not exist\n$/);
  const context = await runCli(['collect', '--cluster', '--kubeconfig', server.kubeconfig(), '--context', 'prod', '-o', path.join(dir, 'x.json')]);
  assert.equal(context.code, 2);
  assert.match(context.stderr, /context "prod" is not in/);
  assert.ok(!existsSync(path.join(dir, 'x.json')));
});

test('usage errors: paths with --cluster, --context without --cluster, collect without --output', async () => {
  const both = await runCli(['scan', 'k8s/', '--cluster']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /either --cluster or paths/);
  const stray = await runCli(['scan', '-', '--context', 'prod'], { input: '' });
  assert.equal(stray.code, 2);
  assert.match(stray.stderr, /--context, --kubeconfig and --namespace go with --cluster/);
  const noOutput = await runCli(['collect', '--cluster']);
  assert.equal(noOutput.code, 2);
  assert.match(noOutput.stderr, /collect needs --output FILE/);
});
