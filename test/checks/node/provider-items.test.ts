// The provider benchmarks' item tables: each lists exactly the items of its benchmark's worker
// section (kube-bench cfg/eks-1.8.0, cfg/gke-1.9.0 and cfg/aks-1.8, node.yaml), in order, with
// the benchmark's Automated label, and the control-plane guidance its managed-services section
// leaves to a person. Their verdicts on real host roots are tested in
// test/sources/node/distributions.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AKS_WORKER_CHECKS, EKS_WORKER_CHECKS, GKE_WORKER_CHECKS } from '../../../src/checks/node/providers/worker-items.js';
import { AKS_GUIDANCE, EKS_GUIDANCE, GKE_GUIDANCE } from '../../../src/checks/node/providers/guidance.js';
import { findBenchmark } from '../../../src/checks/node/benchmarks.js';

const KUBELET_ITEMS = ['3.2.1', '3.2.2', '3.2.3', '3.2.4', '3.2.5', '3.2.6', '3.2.7', '3.2.8', '3.2.9'];

test('worker items: the benchmarks\' numbers in order, all Automated, under their own framework', () => {
  const items = (checks: typeof EKS_WORKER_CHECKS) => checks.map((c) => [c.controls[0], c.cis.automated]);
  assert.deepEqual(items(EKS_WORKER_CHECKS), ['3.1.1', '3.1.2', '3.1.3', '3.1.4', ...KUBELET_ITEMS].map((id) => [`cis-eks:${id}`, true]));
  // CIS GKE 1.9 has no kubelet items (3.2) any more: only the kubelet's files.
  assert.deepEqual(items(GKE_WORKER_CHECKS), ['3.1.1', '3.1.2', '3.1.3', '3.1.4'].map((id) => [`cis-gke:${id}`, true]));
  assert.deepEqual(items(AKS_WORKER_CHECKS), ['3.1.1', '3.1.2', '3.1.3', '3.1.4', ...KUBELET_ITEMS].map((id) => [`cis-aks:${id}`, true]));
  assert.deepEqual(AKS_WORKER_CHECKS.slice(2, 4).map((c) => c.id), ['aks-azure-json-mode', 'aks-azure-json-owner']);
});

test('guidance: manual, never failing, naming the provider setting to check', () => {
  for (const [checks, prefix, items] of [
    [EKS_GUIDANCE, 'cis-eks', ['2.1.1', '5.3.1', '5.4.1', '5.4.2', '5.4.3']],
    [GKE_GUIDANCE, 'cis-gke', ['5.3.1', '5.5.5', '5.6.3', '5.6.4', '5.7.1', '5.8.1', '5.8.3']],
    [AKS_GUIDANCE, 'cis-aks', ['2.1.1', '5.3.1', '5.4.1', '5.4.2', '5.5.1']],
  ] as const) {
    assert.deepEqual(checks.map((c) => c.controls[0]), items.map((i) => `${prefix}:${i}`));
    for (const c of checks) {
      assert.equal(c.failStatus, 'warn');
      const outcome = c.evaluateNode({ mode: 'node', components: new Map(), notFound: new Map(), errors: [] });
      assert.equal(outcome.status, 'manual');
      assert.match(outcome.reason, /^managed by the provider, not visible from this node: .*(describe|show|subnets|diagnostic|must)/);
    }
  }
  assert.deepEqual(findBenchmark('cis-gke-1.9')!.providerManaged!.map((s) => s.section), ['1', '2']);
});
