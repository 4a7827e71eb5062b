// Gathering node audits into one cluster result (src/engine/node-audits.ts): the ConfigMap
// record and its bad forms, and the rules of gathering — worst status per check, the newest
// record per node, stale and missing nodes, the cluster's own config, and mirror-pod findings
// that the node audit replaces. Node Results come from real audits of real host roots.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { cisNodeChecks } from '../../src/checks/node/index.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { runNodeChecks } from '../../src/engine/node-run.js';
import { runChecks } from '../../src/engine/run.js';
import type { Result } from '../../src/result/result.js';
import { decodeNodeAuditConfigMap, gatherNodeAudits, nodeAuditsFromInventory, type NodeAudit, type UnreadableNodeAudit } from '../../src/engine/node-audits.js';
import { nodeAuditConfigMap, nodeAuditConfigMapName, NODE_AUDIT_DATA_KEY } from '../../src/result/node-audit-record.js';
import { collectNodeFacts } from '../../src/sources/node/collect.js';
import { inventoryFromYaml } from '../helpers.js';
import { buildRoot, FIXTURES } from '../sources/node/roots.js';

const roots: string[] = [];
after(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));
const NOW = new Date('2026-12-03T12:00:00Z');
const HOUR = 3600_000;

async function audit(role: 'control-plane' | 'worker', variant: 'kubeadm' | 'hardened' | 'weak', node: string, auditedAt = new Date(NOW.getTime() - HOUR)): Promise<NodeAudit> {
  const root = buildRoot(role, variant);
  roots.push(root);
  const result = await runNodeChecks(collectNodeFacts({ root }), cisNodeChecks, { type: 'node', node, auditedAt: auditedAt.toISOString(), root });
  for (const f of result.findings) f.node = node;
  return { node, auditedAt: auditedAt.toISOString(), result, source: `test ${node}` };
}

/** A cluster result from a manifest scan: one namespace, nothing node-related. */
function clusterResult(yaml = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n'): Result {
  return runChecks(inventoryFromYaml(yaml), ALL_CHECKS, { type: 'cluster' }, { now: NOW }).result;
}

const check = (r: Result, id: string) => r.checks.find((c) => c.id === id)!;
const counted = (r: Result) => r.findings.filter((f) => !f.exception).length;
const sum = (r: Result) => Object.values(r.summary.findings).reduce((a, b) => a + b, 0);

test('the ConfigMap record round-trips a node Result, gzipped, with the node and time', async () => {
  const a = await audit('worker', 'weak', 'worker-1');
  const cm = nodeAuditConfigMap(a.result, 'worker-1', 'kubeharden-node', new Date(a.auditedAt!)) as any;
  assert.equal(cm.metadata.name, 'node-audit-worker-1');
  assert.equal(cm.metadata.labels['kubeharden.io/node-audit'], 'true');
  assert.ok(Buffer.from(cm.binaryData[NODE_AUDIT_DATA_KEY], 'base64').length < JSON.stringify(a.result).length / 4, 'gzip shrinks it');
  const decoded = decodeNodeAuditConfigMap(cm, 'cm') as NodeAudit;
  assert.equal(decoded.node, 'worker-1');
  assert.equal(decoded.auditedAt, a.auditedAt);
  assert.deepEqual(decoded.result, JSON.parse(JSON.stringify(a.result)));
  assert.equal(nodeAuditConfigMapName('n'.repeat(250)).length, 'node-audit-'.length + 32, 'a name too long for a ConfigMap is hashed');
});

test('bad records are reported by source, never gathered, never crash', async () => {
  const a = await audit('worker', 'weak', 'worker-1');
  const good = nodeAuditConfigMap(a.result, 'worker-1') as any;
  const withData = (data: unknown, node = 'worker-1') => ({ ...good, metadata: { ...good.metadata, annotations: { ...good.metadata.annotations, 'kubeharden.io/node': node } }, binaryData: { [NODE_AUDIT_DATA_KEY]: data } });
  const gz = (text: string) => gzipSync(text).toString('base64');
  const cases: [string, unknown, RegExp][] = [
    ['no data', { ...good, binaryData: undefined }, /has no binaryData "result\.json\.gz"/],
    ['not gzip', withData(Buffer.from('plain').toString('base64')), /is not gzip data/],
    ['not JSON', withData(gz('{"schemaVersion": 1,')), /not valid JSON/],
    ['a cluster result', withData(gz(JSON.stringify(clusterResult()))), /not a kubeharden node Result: target\.type/],
    ['wrong field type', withData(gz(JSON.stringify({ ...a.result, checks: [{ ...a.result.checks[0], status: 'great' }] }))), /checks\.0\.status/],
    ['another node inside', withData(gz(JSON.stringify(a.result)), 'worker-2'), /labelled for node "worker-2" but holds the audit of node "worker-1"/],
    ['a gzip bomb', withData(gzipSync(Buffer.alloc(64 * 1024 * 1024, 32)).toString('base64')), /at most 16 MiB/],
  ];
  for (const [name, raw, why] of cases) {
    const decoded = decodeNodeAuditConfigMap(raw as Record<string, unknown>, `configmap kubeharden-node/${name}`);
    assert.ok('problem' in decoded, name);
    assert.match((decoded as UnreadableNodeAudit).problem, why, name);
  }
  const result = gatherNodeAudits(clusterResult(), [], { now: NOW, unreadable: [{ source: 'configmap kubeharden-node/x', node: 'worker-9', problem: 'not valid JSON' }] });
  assert.deepEqual(result.target.nodeAudits, [{ node: 'worker-9', status: 'unreadable', source: 'configmap kubeharden-node/x' }]);
  assert.match(result.errors.at(-1)!.message, /node audit record not gathered: not valid JSON/);
  assert.equal(result.errors.at(-1)!.level, 'error');
});

test('each node check gets one outcome per node; its status is the worst; findings carry their node', async () => {
  const cp = await audit('control-plane', 'kubeadm', 'cp-1');
  const worker = await audit('worker', 'weak', 'worker-1');
  const result = gatherNodeAudits(clusterResult(), [cp, worker], { now: NOW });

  const mode = check(result, 'kubelet-kubeconfig-mode'); // kubelet.conf: 600 on the kubeadm node, 644 on the weak one
  assert.equal(mode.status, 'fail');
  assert.deepEqual(mode.nodes!.map((n) => [n.node, n.status]), [['cp-1', 'pass'], ['worker-1', 'fail']]);
  assert.equal(mode.passed, 1);
  assert.equal(mode.failed, 1);
  assert.match(mode.reason!, /fail on 1 node\(s\): worker-1 \(\/etc\/kubernetes\/kubelet\.conf has mode 644/);

  // A control-plane item: decided on cp-1, not applicable on the worker. The skip does not hide the decision.
  const anonymous = check(result, 'apiserver-anonymous-auth-disabled');
  assert.equal(check(cp.result, 'apiserver-anonymous-auth-disabled').status, anonymous.status);
  assert.deepEqual(anonymous.nodes!.map((n) => [n.node, n.status]), [['cp-1', check(cp.result, 'apiserver-anonymous-auth-disabled').status], ['worker-1', 'skip']]);
  const etcdMode = check(result, 'etcd-data-dir-mode');
  assert.equal(check(cp.result, 'etcd-data-dir-mode').status, 'pass');
  assert.equal(etcdMode.status, 'pass', 'pass on the control plane, skip on the worker → pass');
  assert.match(etcdMode.reason!, /skip on 1 node\(s\): worker-1/);

  // Every node finding, once, with its node; fingerprints differ across nodes.
  const own = clusterResult().findings.length;
  assert.ok(own > 0, 'the namespace has findings of its own');
  assert.equal(result.findings.length, own + cp.result.findings.length + worker.result.findings.length);
  assert.equal(result.findings.filter((f) => f.node === 'cp-1').length, cp.result.findings.length);
  assert.equal(result.findings.filter((f) => f.node === 'worker-1').length, worker.result.findings.length);
  const fingerprints = new Set(result.findings.map((f) => f.fingerprint));
  assert.equal(fingerprints.size, result.findings.length);
  const sameFile = result.findings.filter((f) => f.check === 'kubelet-config-file-mode');
  assert.deepEqual(sameFile.map((f) => f.node).sort(), ['cp-1', 'worker-1'], 'the same file on two nodes: two findings');
  assert.equal(sum(result), counted(result), 'summary counts the gathered findings');
  assert.deepEqual(result.target.nodeAudits, [
    { node: 'cp-1', auditedAt: cp.auditedAt, status: 'current', source: 'test cp-1' },
    { node: 'worker-1', auditedAt: worker.auditedAt, status: 'current', source: 'test worker-1' },
  ]);
  assert.ok(result.summary.frameworks.cis!.fail > 0);
});

test('the newest record of a node counts; a stale one is reported, not gathered', async () => {
  const older = await audit('worker', 'weak', 'worker-1', new Date(NOW.getTime() - 10 * HOUR));
  const newer = await audit('worker', 'hardened', 'worker-1', new Date(NOW.getTime() - 1 * HOUR));
  const result = gatherNodeAudits(clusterResult(), [older, newer], { now: NOW });
  assert.equal(check(result, 'kubelet-kubeconfig-mode').status, 'pass');
  assert.equal(result.findings.filter((f) => f.node).length, newer.result.findings.length);

  const stale = await audit('worker', 'weak', 'worker-2', new Date(NOW.getTime() - 72 * HOUR));
  const withStale = gatherNodeAudits(clusterResult(), [stale], { now: NOW });
  assert.equal(withStale.findings.filter((f) => f.node).length, 0);
  const unjudged = check(withStale, 'kubelet-kubeconfig-mode');
  assert.equal(unjudged.status, 'skip', 'as the cluster scan alone left it');
  assert.equal(unjudged.nodes, undefined);
  assert.deepEqual(withStale.target.nodeAudits, [{ node: 'worker-2', auditedAt: stale.auditedAt, status: 'stale', source: 'test worker-2' }]);
  assert.match(withStale.errors.at(-1)!.message, /node audit of worker-2 is from .*, 3 days before this scan and over the limit of 2 days; not gathered/);
  // A longer limit takes it.
  const allowed = gatherNodeAudits(clusterResult(), [stale], { now: NOW, maxAgeMs: 96 * HOUR });
  assert.equal(allowed.findings.filter((f) => f.node).length, stale.result.findings.length);
});

test('nodes the cluster lists without an audit are reported once auditing is in use', async () => {
  const cp = await audit('control-plane', 'hardened', 'cp-1');
  const result = gatherNodeAudits(clusterResult(), [cp], { now: NOW, clusterNodes: ['cp-1', 'worker-2', 'worker-1'] });
  assert.deepEqual((result.target.nodeAudits as any[]).map((r) => [r.node, r.status]), [['cp-1', 'current'], ['worker-1', 'missing'], ['worker-2', 'missing']]);
  assert.ok(result.errors.some((e) => e.level === 'warning' && e.message === '2 node(s) of the cluster have no node audit: worker-1, worker-2'));
  // Without any record, nothing is said: the cluster simply does not use node audits.
  const before = clusterResult();
  const untouched = gatherNodeAudits(clusterResult(), [], { now: NOW, clusterNodes: ['cp-1'] });
  assert.deepEqual(untouched, before);
});

test("the cluster scan's config applies: disabled checks, severity overrides, exceptions", async () => {
  const worker = await audit('worker', 'weak', 'worker-1');
  const result = gatherNodeAudits(clusterResult(), [worker], {
    now: NOW,
    disabled: ['cni-files-mode'],
    severityOverrides: { 'kubelet-kubeconfig-owner': 'critical' },
    exceptions: [{ check: 'kubelet-kubeconfig-mode', resource: { kind: 'File', name: '/etc/kubernetes/kubelet.conf' }, reason: 'rotated by the provider', source: 'test exceptions[0]' }],
  });
  assert.equal(check(result, 'cni-files-mode').nodes, undefined, 'no node outcome for a disabled check');
  assert.ok(!result.findings.some((f) => f.check === 'cni-files-mode'));
  assert.ok(result.findings.filter((f) => f.check === 'kubelet-kubeconfig-owner').every((f) => f.severity === 'critical'));
  assert.equal(check(result, 'kubelet-kubeconfig-owner').severity, 'critical');
  const excepted = result.findings.find((f) => f.check === 'kubelet-kubeconfig-mode')!;
  assert.equal(excepted.exception?.reason, 'rotated by the provider');
  const mode = check(result, 'kubelet-kubeconfig-mode');
  assert.equal(mode.status, 'pass', 'its only finding is excepted');
  assert.match(mode.nodes![0]!.reason!, /covered by an exception/);
  assert.equal(result.summary.excepted, 1);
  assert.equal(sum(result), counted(result));
});

test('a mirror pod judged by the node audit of its node is not reported twice', async () => {
  const manifest = readFileSync(path.join(FIXTURES, 'manifests', 'kube-apiserver.yaml'), 'utf8')
    .replace(/name: kube-apiserver\n/, 'name: kube-apiserver-cp-1\n')
    .replace(/^spec:\n/m, 'spec:\n  nodeName: cp-1\n');
  const base = clusterResult(manifest);
  const mirrorFinding = base.findings.find((f) => f.check === 'apiserver-profiling-disabled');
  assert.ok(mirrorFinding, 'the cluster scan judges the mirror pod');
  const cp = await audit('control-plane', 'kubeadm', 'cp-1');
  const gathered = gatherNodeAudits(clusterResult(manifest), [cp], { now: NOW, podNode: (f) => (f.resource.name === 'kube-apiserver-cp-1' ? 'cp-1' : undefined) });
  const profiling = gathered.findings.filter((f) => f.check === 'apiserver-profiling-disabled');
  assert.deepEqual(profiling.map((f) => f.node), ['cp-1'], 'only the node audit reports it');
  assert.equal(check(gathered, 'apiserver-profiling-disabled').failed, 1);

  // The same pod on a node without an audit keeps its finding.
  const elsewhere = gatherNodeAudits(clusterResult(manifest), [cp], { now: NOW, podNode: () => 'cp-2' });
  assert.deepEqual(elsewhere.findings.filter((f) => f.check === 'apiserver-profiling-disabled').map((f) => f.node ?? 'mirror pod').sort(), ['cp-1', 'mirror pod']);
  assert.equal(check(elsewhere, 'apiserver-profiling-disabled').status, 'fail');
});

test('records are found among the inventory ConfigMaps of the node-audit namespace only', async () => {
  const worker = await audit('worker', 'weak', 'worker-1');
  const cm = nodeAuditConfigMap(worker.result, 'worker-1', 'kubeharden-node', new Date(worker.auditedAt!)) as any;
  const elsewhere = { ...cm, metadata: { ...cm.metadata, namespace: 'default', name: 'forged' } };
  const unlabelled = { ...cm, metadata: { ...cm.metadata, name: 'unlabelled', labels: {} } };
  const yaml = [cm, elsewhere, unlabelled].map((o) => JSON.stringify(o)).join('\n---\n');
  const { audits, unreadable } = nodeAuditsFromInventory(inventoryFromYaml(yaml));
  assert.deepEqual(audits.map((a) => [a.node, a.source]), [['worker-1', 'configmap kubeharden-node/node-audit-worker-1']]);
  assert.deepEqual(unreadable, []);
});
