// `scan --cluster --write-policy-reports` through the real CLI and client against the local
// HTTPS stand-in for the API server (fake-apiserver.ts, so it runs without the Go-built binaries;
// against a real kube-apiserver and the real CRDs: test/control-plane/deploy-rbac.test.ts): reports are server-side applied, stale kubeharden reports are deleted and
// nobody else's are touched, a namespace scan stays in its namespace, and missing CRDs or
// permissions are clear errors that still print the scan.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli/run-cli.js';
import type { Result } from '../../src/result/result.js';
import { buildPolicyReports } from '../../src/report/policyreport.js';
import { ApiClient } from '../../src/sources/cluster/client.js';
import { loadKubeConfig } from '../../src/sources/cluster/kubeconfig.js';
import { applyObject } from '../../src/publish/write.js';
import { startFakeApiServer, type FakeApiServer, type KubeObject } from '../sources/cluster/fake-apiserver.js';

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'quiet' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'api:1' }] } } } },
];

let server: FakeApiServer;
before(async () => {
  server = await startFakeApiServer(objects);
});
after(() => server.close());

const scan = (kubeconfig: string, extra: string[] = []) => runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--write-policy-reports', '-f', 'json', '--fail-on', 'none', ...extra]);
const names = (list: KubeObject[]) => list.map((r) => `${r.metadata.namespace ?? ''}/${r.metadata.name}`).sort();

test('the scan writes one PolicyReport per namespace with findings and the cluster report, by server-side apply', async () => {
  const run = await scan(server.kubeconfig());
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Result;
  const expected = buildPolicyReports(result, { now: new Date() });
  assert.match(run.stderr, new RegExp(`wrote ${expected.filter((r) => r.kind === 'PolicyReport').length} PolicyReport\\(s\\) and 1 ClusterPolicyReport\\(s\\) to https://127\\.0\\.0\\.1`));
  const reports = server.written('PolicyReport');
  // quiet has findings of its own (no default-deny policy…), so it has a report too.
  assert.deepEqual(names(reports), names(expected.filter((r) => r.kind === 'PolicyReport') as KubeObject[]));
  assert.ok(names(reports).includes('shop/kubeharden'));
  const shop = reports.find((r) => r.metadata.namespace === 'shop')!;
  const privileged = shop.results.find((r: KubeObject) => r.policy === 'container-not-privileged');
  assert.deepEqual(privileged.resources, [{ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web' }]);
  assert.equal(shop.summary.fail, shop.results.filter((r: KubeObject) => r.result === 'fail').length);
  assert.deepEqual(names(server.written('ClusterPolicyReport')), ['/kubeharden-cluster']);
  const patches = server.requests.filter((r) => r.method === 'PATCH');
  assert.ok(patches.every((r) => r.query.get('fieldManager') === 'kubeharden' && r.query.get('force') === 'true'));
});

test('a report kubeharden no longer produces is deleted; reports of other tools are left alone', async () => {
  const kubeconfig = server.kubeconfig();
  // A kubeharden report an earlier run wrote that this run will not produce, and Kyverno's own report.
  const earlier = JSON.parse((await scan(kubeconfig)).stdout) as Result;
  const seeded = buildPolicyReports(earlier, { now: new Date() }).find((r) => r.kind === 'PolicyReport')!;
  const ours = { ...seeded, metadata: { ...seeded.metadata, namespace: 'quiet', name: 'kubeharden-2' } };
  const theirs = { ...seeded, metadata: { name: 'polr-ns-quiet', namespace: 'quiet', labels: { 'app.kubernetes.io/managed-by': 'kyverno' } } };
  const client = new ApiClient(await loadKubeConfig({ kubeconfig }));
  for (const report of [ours, theirs]) await applyObject(client, `/apis/wgpolicyk8s.io/v1alpha2/namespaces/quiet/policyreports/${report.metadata.name}`, report as unknown as Record<string, unknown>);
  client.close();

  const run = await scan(kubeconfig);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /deleted 1 stale one\(s\)/);
  const left = names(server.written('PolicyReport'));
  assert.ok(!left.includes('quiet/kubeharden-2'), 'the stale kubeharden report is gone');
  assert.ok(left.includes('quiet/polr-ns-quiet'), "Kyverno's report stays");
});

test('a namespace scan writes and prunes that namespace only', async () => {
  const before = server.written('ClusterPolicyReport').length;
  const deletes = server.requests.filter((r) => r.method === 'DELETE').length;
  const run = await scan(server.kubeconfig(), ['-n', 'shop']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /wrote 1 PolicyReport\(s\) and 0 ClusterPolicyReport\(s\)/);
  assert.equal(server.written('ClusterPolicyReport').length, before);
  assert.equal(server.requests.filter((r) => r.method === 'DELETE').length, deletes, 'nothing outside shop is deleted');
  assert.ok(server.requests.some((r) => r.method === 'GET' && r.path === '/apis/wgpolicyk8s.io/v1alpha2/namespaces/shop/policyreports'));
});

test('missing CRDs and missing permissions are clear errors; the scan is still printed', async () => {
  const noCrds = await startFakeApiServer(objects, { noPolicyReportCrds: true });
  try {
    const run = await scan(noCrds.kubeconfig());
    assert.equal(run.code, 2);
    const result = JSON.parse(run.stdout) as Result;
    assert.ok(result.findings.length > 0);
    const error = result.errors.find((e) => e.source === 'policyreports')!;
    assert.match(error.message, /could not write the PolicyReports to https:\/\/127\.0\.0\.1:\d+: the PolicyReport CRDs \(wgpolicyk8s\.io\/v1alpha2\) are not installed/);
  } finally {
    await noCrds.close();
  }
  const forbidden = await startFakeApiServer(objects, { writeForbidden: ['policyreports', 'clusterpolicyreports'] });
  try {
    const run = await scan(forbidden.kubeconfig());
    assert.equal(run.code, 2);
    const error = (JSON.parse(run.stdout) as Result).errors.find((e) => e.source === 'policyreports')!;
    assert.match(error.message, /forbidden .*cannot patch resource .*; the scan needs list, create, patch and delete on policyreports and clusterpolicyreports .*kubeharden-report-writer/);
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(forbidden.token));
  } finally {
    await forbidden.close();
  }
  const usage = await runCli(['scan', 'examples/demo-cluster', '--write-policy-reports']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--write-policy-reports writes to the cluster it scans: it needs --cluster/);
});
