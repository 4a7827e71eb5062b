// A mixed fleet gathered into one cluster result: a kubeadm control plane audited against the
// CIS Kubernetes Benchmark, an EKS worker against CIS EKS and a k3s server against the CIS
// items on k3s — each node's outcomes stay under its own benchmark's checks, and the record of
// each node says which benchmark it was judged by. Node Results come from real audits of real
// host roots, published and read back through their ConfigMap records.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { benchmarkOf, benchmarkTarget } from '../../src/engine/node-benchmark.js';
import { decodeNodeAuditConfigMap, gatherNodeAudits, type NodeAudit } from '../../src/engine/node-audits.js';
import { nodeAuditConfigMap } from '../../src/result/node-audit-record.js';
import { runNodeChecks } from '../../src/engine/node-run.js';
import { runChecks } from '../../src/engine/run.js';
import { collectNodeFacts } from '../../src/sources/node/collect.js';
import { inventoryFromYaml } from '../helpers.js';
import { buildRoot } from '../sources/node/roots.js';
import { eksRoot, k3sRoot } from '../sources/node/distribution-roots.js';

const roots: string[] = [];
after(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));
const NOW = new Date('2026-12-03T12:00:00Z');
const AUDITED = new Date(NOW.getTime() - 3600_000);

async function audit(root: string, node: string): Promise<NodeAudit> {
  roots.push(root);
  const facts = collectNodeFacts({ root });
  const benchmark = benchmarkOf(facts);
  const result = await runNodeChecks(facts, benchmark.checks, { type: 'node', node, auditedAt: AUDITED.toISOString(), root, benchmark: benchmarkTarget(facts, benchmark) });
  for (const f of result.findings) f.node = node;
  // Through the ConfigMap record, as the DaemonSet publishes it and the cluster scan reads it.
  return decodeNodeAuditConfigMap(nodeAuditConfigMap(result, node, 'kubeharden-node', AUDITED) as Record<string, unknown>, `configmap ${node}`) as NodeAudit;
}

test('a kubeadm control plane, an EKS worker and a k3s server: each node judged against its own benchmark', async () => {
  const audits = [
    await audit(buildRoot('control-plane', 'kubeadm'), 'cp-1'),
    await audit(eksRoot('weak'), 'ip-10-0-3-7.ec2.internal'),
    await audit(k3sRoot('default'), 'k3s-1'),
  ];
  const cluster = runChecks(inventoryFromYaml('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n'), ALL_CHECKS, { type: 'cluster' }, { now: NOW }).result;
  const result = gatherNodeAudits(cluster, audits, { now: NOW, clusterNodes: ['cp-1', 'ip-10-0-3-7.ec2.internal', 'k3s-1'] });

  assert.deepEqual((result.target.nodeAudits as { node: string; benchmark?: string; status: string }[]).map((r) => [r.node, r.benchmark, r.status]), [
    ['cp-1', 'cis-1.12', 'current'], ['ip-10-0-3-7.ec2.internal', 'cis-eks-1.8', 'current'], ['k3s-1', 'k3s-cis-1.12', 'current'],
  ]);
  const nodesOf = (id: string) => result.checks.find((c) => c.id === id)!.nodes!.map((n) => `${n.node}:${n.status}`);
  // The EKS item is the EKS worker's alone; the CIS kubelet item is the kubeadm and k3s nodes'.
  assert.deepEqual(nodesOf('eks-kubelet-anonymous-auth-disabled'), ['ip-10-0-3-7.ec2.internal:fail']);
  assert.deepEqual(nodesOf('kubelet-anonymous-auth-disabled'), ['cp-1:pass', 'k3s-1:pass']);
  // k3s's SQLite datastore: the etcd item does not apply there; kubeadm's etcd passes.
  assert.deepEqual(nodesOf('etcd-client-cert-auth'), ['cp-1:pass', 'k3s-1:skip']);
  assert.equal(result.checks.find((c) => c.id === 'eks-kubelet-anonymous-auth-disabled')!.status, 'fail');
  const finding = result.findings.find((f) => f.check === 'eks-kubelet-anonymous-auth-disabled')!;
  assert.equal(finding.node, 'ip-10-0-3-7.ec2.internal');
  assert.deepEqual(finding.controls, ['cis-eks:3.2.1', 'nsa:A2']);
  // The provider benchmark is scored beside CIS.
  assert.equal(result.summary.frameworks['cis-eks']!.fail, 4);
  assert.ok(result.summary.frameworks.cis!.pass > 0);
});
