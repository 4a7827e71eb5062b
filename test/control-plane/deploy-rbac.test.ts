// Proof 2 of issue 12: deploy/ applied with the real kubectl (`kubectl apply -k deploy/`) to a real
// kube-apiserver; the scan run as deploy/'s ServiceAccount with a TokenRequest token reads all it needs
// (no 403 but the Secrets it must not read), writes its PolicyReports (the real CRDs) by server-side
// apply and prunes stale ones; the node-audit publisher may write its ConfigMaps and nothing else.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Result } from '../../src/result/result.js';
import { REPO_ROOT } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';
import { controlPlaneUnavailable, kubectl, startControlPlane, type ControlPlane } from './harness.js';
import { auditEvents, serviceAccountKubeconfig } from './cluster-access.js';
import type { KubeObject } from './load-objects.js';

const skip = controlPlaneUnavailable();
const CRDS = path.join(REPO_ROOT, 'test/fixtures/policyreport-crds/wgpolicyk8s.io-v1alpha2-crds.yaml');
const SCANNER = 'system:serviceaccount:kubeharden:kubeharden-scanner';

const PRIVILEGED_POD = (ns: string) => `apiVersion: v1
kind: Pod
metadata: {name: root-shell, namespace: ${ns}}
spec:
  containers:
  - name: sh
    image: busybox:1.36
    securityContext: {privileged: true}
`;

describe('deploy/ on a real kube-apiserver: least privilege, PolicyReports, node-audit publishing', { skip }, () => {
  let plane: ControlPlane;
  let work: string;
  let scannerConfig: string;
  let nodeConfig: string;

  const reports = async () => {
    const list = JSON.parse(await plane.kubectlOk(['get', 'policyreports,clusterpolicyreports', '-A', '-o', 'json', '--show-managed-fields'])) as { items: KubeObject[] };
    return list.items;
  };
  const scan = (...extra: string[]) => runCli(['scan', '--cluster', '--kubeconfig', scannerConfig, '-f', 'json', '--fail-on', 'none', '--write-policy-reports', ...extra]);

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'kh-deploy-'));
    plane = await startControlPlane();
    await plane.kubectlOk(['apply', '--server-side', '-f', CRDS]);
    await plane.kubectlOk(['wait', '--for=condition=Established', 'crd/policyreports.wgpolicyk8s.io', 'crd/clusterpolicyreports.wgpolicyk8s.io', '--timeout=60s']);
    await plane.kubectlOk(['apply', '-k', path.join(REPO_ROOT, 'deploy')]);
    // A namespace with a finding, and the ServiceAccount its pod runs as (no controller manager makes it here).
    await plane.kubectlOk(['create', 'namespace', 'team-a']);
    await plane.kubectlOk(['create', 'serviceaccount', 'default', '-n', 'team-a']);
    await plane.kubectlOk(['apply', '-f', '-'], PRIVILEGED_POD('team-a'));
    scannerConfig = await serviceAccountKubeconfig(plane, 'kubeharden', 'kubeharden-scanner', undefined, work);
    nodeConfig = await serviceAccountKubeconfig(plane, 'kubeharden-node', 'kubeharden-node-audit', undefined, work);
  });
  after(async () => {
    await plane?.stop();
  });

  test('kubectl apply -k deploy/ created the ServiceAccounts, roles and bindings', async () => {
    for (const [kind, name] of [
      ['serviceaccount/kubeharden-scanner', 'kubeharden'], ['serviceaccount/kubeharden-node-audit', 'kubeharden-node'],
      ['cronjob/kubeharden-scan', 'kubeharden'], ['daemonset/kubeharden-node-audit', 'kubeharden-node'],
      ['role/kubeharden-node-audit-publisher', 'kubeharden-node'], ['rolebinding/kubeharden-node-audit-publisher', 'kubeharden-node'],
    ] as const) {
      await plane.kubectlOk(['get', kind, '-n', name, '-o', 'name']);
    }
    for (const name of ['clusterrole/kubeharden-read', 'clusterrole/kubeharden-report-writer', 'clusterrolebinding/kubeharden-read', 'clusterrolebinding/kubeharden-report-writer']) {
      await plane.kubectlOk(['get', name, '-o', 'name']);
    }
  });

  test('the node-audit publisher writes its ConfigMap, and may do nothing else', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kh-empty-root-'));
    const publish = await runCli(['scan', '--node', '--root', root, '--node-name', 'node-1', '--publish', '--kubeconfig', nodeConfig, '-f', 'json', '--fail-on', 'none']);
    assert.equal(publish.code, 0, publish.stderr);
    assert.match(publish.stderr, /node audit published to configmap kubeharden-node\/node-audit-node-1/);
    const cm = JSON.parse(await plane.kubectlOk(['get', 'configmap', 'node-audit-node-1', '-n', 'kubeharden-node', '-o', 'json', '--show-managed-fields'])) as KubeObject;
    assert.ok(cm.metadata.managedFields.some((m: KubeObject) => m.operation === 'Apply'), 'written by server-side apply');
    // Publishing again (the next audit) patches the same ConfigMap.
    const again = await runCli(['scan', '--node', '--root', root, '--node-name', 'node-1', '--publish', '--kubeconfig', nodeConfig, '-f', 'json', '--fail-on', 'none']);
    assert.equal(again.code, 0, again.stderr);
    const can = async (...args: string[]) => (await kubectl(plane.env, ['auth', 'can-i', ...args], undefined, nodeConfig)).stdout.trim();
    assert.equal(await can('create', 'configmaps', '-n', 'kubeharden-node'), 'yes');
    assert.equal(await can('patch', 'configmaps', '-n', 'kubeharden-node'), 'yes');
    for (const denied of [
      ['get', 'configmaps', '-n', 'kubeharden-node'], ['list', 'configmaps', '-n', 'kubeharden-node'], ['delete', 'configmaps', '-n', 'kubeharden-node'],
      ['create', 'configmaps', '-n', 'default'], ['patch', 'configmaps', '-n', 'kube-system'], ['list', 'secrets', '-A'], ['get', 'secrets', '-n', 'kubeharden-node'],
      ['list', 'pods', '-A'], ['create', 'pods', '-n', 'kubeharden-node'],
    ]) {
      assert.equal(await can(...denied), 'no', denied.join(' '));
    }
    // And for real, not only as the server says it would decide: writing elsewhere is refused.
    const elsewhere = await runCli(['scan', '--node', '--root', root, '--node-name', 'node-1', '--publish', '--publish-namespace', 'default', '--kubeconfig', nodeConfig, '-f', 'json', '--fail-on', 'none']);
    assert.notEqual(elsewhere.code, 0);
    assert.match(elsewhere.stderr, /forbidden/);
  });

  test('the scan as kubeharden-scanner reads all it needs; only Secrets are refused; PolicyReports are applied and stale ones pruned', async () => {
    const first = await scan();
    assert.equal(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout) as Result & { target: { unavailable?: { kind: string }[]; nodeAudits?: { node: string }[] } };
    assert.deepEqual((result.target.unavailable ?? []).map((u) => u.kind), ['Secret'], 'everything but Secrets was read');
    assert.ok(result.target.nodeAudits?.some((a) => a.node === 'node-1'), 'the published node audit was gathered');
    assert.ok(result.findings.some((f) => f.resource?.namespace === 'team-a' && f.check === 'container-not-privileged'));
    // The server's own record of the scan: 403 only for Secrets.
    const refused = await auditEvents(plane.env, (e) => e.user.username === SCANNER && e.stage === 'ResponseComplete' && e.responseStatus?.code === 403);
    assert.deepEqual([...new Set(refused.map((e) => `${e.verb} ${e.objectRef?.resource}`))], ['list secrets']);
    const secrets = await kubectl(plane.env, ['get', 'secrets', '-A'], undefined, scannerConfig);
    assert.notEqual(secrets.status, 0);
    assert.match(secrets.stderr, /Forbidden/i);

    const written = (await reports()).filter((r) => r.metadata.labels?.['app.kubernetes.io/managed-by'] === 'kubeharden');
    const teamA = written.find((r) => r.kind === 'PolicyReport' && r.metadata.namespace === 'team-a');
    assert.ok(teamA, 'a PolicyReport in team-a');
    assert.ok(teamA.results.some((x: KubeObject) => x.policy === 'container-not-privileged' && x.result === 'fail'));
    assert.ok(written.some((r) => r.kind === 'ClusterPolicyReport' && r.metadata.name === 'kubeharden-cluster'));
    assert.ok(written.every((r) => r.metadata.managedFields.some((m: KubeObject) => m.manager === 'kubeharden' && m.operation === 'Apply')), 'server-side applied by kubeharden');
    assert.match(first.stderr, new RegExp(`wrote ${written.filter((r) => r.kind === 'PolicyReport').length} PolicyReport\\(s\\) and ${written.filter((r) => r.kind === 'ClusterPolicyReport').length} ClusterPolicyReport\\(s\\)`));

    // Another tool's report is never touched; kubeharden's report of a namespace with no finding left is deleted.
    writeFileSync(path.join(work, 'other.yaml'), `apiVersion: wgpolicyk8s.io/v1alpha2
kind: PolicyReport
metadata: {name: other-tool, namespace: team-a}
results: []
`);
    await plane.kubectlOk(['apply', '-f', path.join(work, 'other.yaml')]);
    // Everything in team-a fixed (here: removed), so its report is stale.
    await plane.kubectlOk(['delete', 'pod', 'root-shell', '-n', 'team-a', '--wait=true']);
    await plane.kubectlOk(['delete', 'serviceaccount', 'default', '-n', 'team-a']);
    const second = await scan();
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /deleted [1-9]\d* stale/);
    const after = await reports();
    assert.equal(after.some((r) => r.metadata.namespace === 'team-a' && r.metadata.name === 'kubeharden'), false, 'the stale report was pruned');
    assert.ok(after.some((r) => r.metadata.namespace === 'team-a' && r.metadata.name === 'other-tool'), "another tool's report stays");
  });
});
