// Reach answers on the real kube-prometheus manifests (test/fixtures/netpol/kube-prometheus),
// reviewed by hand against its eight NetworkPolicies and pinned here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadManifests } from '../../../src/sources/manifests.js';
import { NetpolModel } from '../../../src/analysis/netpol/model.js';
import { describeCell, explainReach, reachabilityMatrix, resolveEndpoint } from '../../../src/analysis/netpol/reach.js';
import type { Protocol } from '../../../src/analysis/netpol/ports.js';
import { REPO_ROOT } from '../../helpers.js';

const DIR = path.join(REPO_ROOT, 'test/fixtures/netpol/kube-prometheus');

async function model(): Promise<NetpolModel> {
  const { inventory } = await loadManifests([path.join(DIR, 'manifests.yaml'), path.join(DIR, 'operator-pods.yaml')]);
  return new NetpolModel(inventory);
}

function reach(m: NetpolModel, from: string, to: string, port: number, protocol: Protocol = 'TCP') {
  const src = resolveEndpoint(m, from);
  const dst = resolveEndpoint(m, to);
  if ('error' in src || 'error' in dst) throw new Error(JSON.stringify([src, dst]));
  return explainReach(m, src.endpoint, dst.endpoint, protocol, port);
}

test('kube-prometheus: all eight policies are valid and select their workloads', async () => {
  const m = await model();
  assert.equal(m.invalidPolicies.length, 0);
  assert.equal(m.policies.length, 8);
  for (const p of m.policies) assert.equal(m.selectedBy(p).length, 1, `${p.name} selects one workload`);
});

test('kube-prometheus: pinned reach answers (hand-reviewed)', async () => {
  const m = await model();
  const cases: [string, string, number, Protocol, string, string[]][] = [
    // from, to, port, protocol, verdict, the ingress rules that allow it
    ['monitoring/prometheus-k8s', 'monitoring/grafana', 3000, 'TCP', 'allowed', ['monitoring/grafana spec.ingress[0]']],
    ['monitoring/prometheus-k8s', 'monitoring/grafana', 3001, 'TCP', 'denied', []],
    ['monitoring/grafana', 'monitoring/prometheus-k8s', 9090, 'TCP', 'allowed', ['monitoring/prometheus-k8s spec.ingress[2]']],
    ['monitoring/grafana', 'monitoring/prometheus-k8s', 8080, 'TCP', 'denied', []],
    ['monitoring/prometheus-adapter', 'monitoring/prometheus-k8s', 9090, 'TCP', 'allowed', ['monitoring/prometheus-k8s spec.ingress[1]']],
    ['monitoring/prometheus-k8s', 'monitoring/alertmanager-main', 9093, 'TCP', 'allowed', ['monitoring/alertmanager-main spec.ingress[0]']],
    ['monitoring/alertmanager-main', 'monitoring/alertmanager-main', 9094, 'UDP', 'allowed', ['monitoring/alertmanager-main spec.ingress[1]']],
    ['monitoring/grafana', 'monitoring/alertmanager-main', 9093, 'TCP', 'denied', []],
    ['monitoring/prometheus-k8s', 'monitoring/kube-state-metrics', 8443, 'TCP', 'allowed', ['monitoring/kube-state-metrics spec.ingress[0]']],
    ['monitoring/blackbox-exporter', 'monitoring/kube-state-metrics', 8443, 'TCP', 'denied', []],
    ['monitoring/prometheus-k8s', 'monitoring/prometheus-operator', 8443, 'TCP', 'allowed', ['monitoring/prometheus-operator spec.ingress[0]']],
    // prometheus-adapter's policy has `ingress: [{}]`: open to every source, external ones too.
    ['203.0.113.9', 'monitoring/prometheus-adapter', 6443, 'TCP', 'allowed', ['monitoring/prometheus-adapter spec.ingress[0]']],
    ['203.0.113.9', 'monitoring/grafana', 3000, 'TCP', 'denied', []],
    // node-exporter runs with hostNetwork: its policy cannot be relied on.
    ['monitoring/grafana', 'monitoring/node-exporter', 9100, 'TCP', 'uncertain', []],
  ];
  for (const [from, to, port, protocol, verdict, allowedBy] of cases) {
    const r = reach(m, from, to, port, protocol);
    assert.equal(r.verdict, verdict, `${from} → ${to} ${protocol} ${port}`);
    assert.deepEqual(r.ingress.allowedBy.map((a) => `${a.policy} ${a.rule}`), allowedBy, `${from} → ${to} ${protocol} ${port}`);
  }
});

test('kube-prometheus: every policy allows all egress, so the metadata address is reachable', async () => {
  const m = await model();
  const r = reach(m, 'monitoring/grafana', '169.254.169.254', 80);
  assert.equal(r.verdict, 'allowed');
  assert.deepEqual(r.egress.allowedBy.map((a) => `${a.policy} ${a.rule}`), ['monitoring/grafana spec.egress[0]']);
});

test('kube-prometheus: matrix row of prometheus-k8s', async () => {
  const m = await model();
  const ids = m.workloads.map((w) => w.id);
  const row = reachabilityMatrix(m)[ids.indexOf('monitoring/prometheus-k8s')]!;
  const cells = Object.fromEntries(row.map((c, j) => [ids[j], describeCell(c)]));
  assert.deepEqual(cells, {
    'monitoring/blackbox-exporter': 'TCP 9115,19115',
    'monitoring/grafana': 'TCP 3000',
    'monitoring/kube-state-metrics': 'TCP 8443,9443',
    'monitoring/node-exporter': 'TCP 9100 (maybe: all)',
    'monitoring/prometheus-adapter': 'all',
    'monitoring/prometheus-operator': 'TCP 8443',
    'monitoring/prometheus-k8s': 'TCP 8080,9090',
    'monitoring/alertmanager-main': 'TCP 8080,9093',
  });
});
