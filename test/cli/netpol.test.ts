// The netpol and generate commands end to end, through the real binary.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers.js';

const BIN = path.join(REPO_ROOT, 'bin/kubeharden.js');
const KP = path.join(REPO_ROOT, 'test/fixtures/netpol/kube-prometheus');
const DEMO = path.join(REPO_ROOT, 'test/fixtures/netpol/demo');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('reach --format json answers with allowed, verdict and both directions', () => {
  const r = run('netpol', 'reach', '--from', 'monitoring/grafana', '--to', 'monitoring/prometheus-k8s', '--port', '9090', KP, '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const answer = JSON.parse(r.stdout);
  assert.equal(answer.allowed, true);
  assert.equal(answer.verdict, 'allowed');
  assert.equal(answer.egress.allowed, true);
  assert.deepEqual(answer.egress.policies, ['monitoring/grafana']);
  assert.deepEqual(answer.ingress.allowedBy, [{ policy: 'monitoring/prometheus-k8s', rule: 'spec.ingress[2]', ports: 'TCP 9090', certain: true }]);
  assert.deepEqual(answer.ignoredPolicies, []);
});

test('reach as a table, and --expect turns the answer into the exit code', () => {
  const denied = run('netpol', 'reach', '--from', 'monitoring/grafana', '--to', 'monitoring/prometheus-k8s', '--port', '8080', KP, '--format', 'table', '--expect', 'allowed');
  assert.equal(denied.code, 1);
  assert.match(denied.stdout, /monitoring\/grafana → monitoring\/prometheus-k8s TCP 8080: DENIED/);
  assert.match(denied.stdout, /no rule of these policies allows this connection/);
  assert.equal(run('netpol', 'reach', '--from', 'monitoring/grafana', '--to', 'monitoring/prometheus-k8s', '--port', '8080', KP, '--expect', 'denied').code, 0);
});

test('reach: unknown workloads, bad ports and protocols are usage errors', () => {
  const r = run('netpol', 'reach', '--from', 'monitoring/graphana', '--to', '10.0.0.1', '--port', '80', KP);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--from: no workload "monitoring\/graphana"; namespace monitoring has: .*monitoring\/grafana/);
  assert.equal(run('netpol', 'reach', '--from', '10.0.0.1', '--to', '10.0.0.2', '--port', '70000', KP).code, 2);
  assert.equal(run('netpol', 'reach', '--from', '10.0.0.1', '--to', '10.0.0.2', '--port', '80', '--protocol', 'ICMP', KP).code, 2);
});

test('an invalid policy is reported on stderr and in the answer; the rest is evaluated', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-netpol-'));
  writeFileSync(path.join(dir, 'bad.yaml'), `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: typo, namespace: monitoring}
spec:
  podSelector: {}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]
`);
  writeFileSync(path.join(dir, 'calico.yaml'), `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-all}
spec: {selector: all(), types: [Ingress]}
`);
  const r = run('netpol', 'reach', '--from', 'monitoring/grafana', '--to', 'monitoring/prometheus-k8s', '--port', '9090', KP, dir, '--format', 'json');
  assert.equal(r.code, 0);
  assert.match(r.stderr, /1 policy object\(s\) of other APIs are not evaluated \(GlobalNetworkPolicy deny-all\)/);
  assert.match(r.stderr, /NetworkPolicy monitoring\/typo .* is not evaluated: spec.ingress\[0\].from\[0\].ipBlock.cidr: "10.0.0.0\/33" is not a CIDR/);
  const answer = JSON.parse(r.stdout);
  assert.equal(answer.allowed, true);
  assert.deepEqual(answer.ignoredPolicies.map((p: { policy: string }) => p.policy), ['deny-all', 'monitoring/typo']);
});

test('matrix --format json lists every workload and the ports of every pair (rows[from][to])', () => {
  const r = run('netpol', 'matrix', KP, '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.equal(m.workloads.length, 8);
  const at = (from: string, to: string) => m.rows[m.workloads.indexOf(from)][m.workloads.indexOf(to)];
  assert.equal(at('monitoring/grafana', 'monitoring/prometheus-k8s'), 'TCP 9090');
  assert.equal(at('monitoring/grafana', 'monitoring/node-exporter'), 'none (maybe: all)');
  assert.equal(at('monitoring/prometheus-k8s', 'monitoring/prometheus-adapter'), 'all');
});

test('matrix --namespace keeps the rows and columns of those namespaces', () => {
  const r = run('netpol', 'matrix', DEMO, '-n', 'shop', '-n', 'data', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).workloads, ['data/db', 'shop/frontend', 'shop/api']);
  const table = run('netpol', 'matrix', DEMO, '-n', 'tools', '--format', 'table');
  assert.match(table.stdout, /1  ✓  tools\/debug/);
});

test('generate netpol writes valid YAML, and the help shows examples', () => {
  const r = run('generate', 'netpol', '--namespace', 'shop', DEMO);
  assert.equal(r.code, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
  assert.ok(docs.length >= 2 && docs.every((d) => d.kind === 'NetworkPolicy' && d.metadata.namespace === 'shop'));
  assert.match(run('generate', 'netpol', '--help').stdout, /Examples:/);
  assert.match(run('netpol', 'reach', '--help').stdout, /Examples:/);
  assert.match(run('netpol', 'matrix', '--help').stdout, /Examples:/);
  assert.equal(run('generate', 'netpol', DEMO).code, 2);
});
