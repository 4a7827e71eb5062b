// The flow log readers on samples of each format (test/fixtures/flows, see its README for how
// they were made): what is kept (connection initiations that went through), what is skipped and
// counted (replies, denied attempts, ICMP, non-flow records), and malformed lines reported with
// file:line and skipped — the rest of the file still read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFlows, type FlowProblem } from '../../src/sources/flows/read-flows.js';
import type { FlowRecord } from '../../src/sources/flows/model.js';
import { stablePodLabels } from '../../src/analysis/netpol/stable-labels.js';
import { REPO_ROOT, withTempDir } from '../helpers.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/flows');
const rel = (f: string) => path.relative(REPO_ROOT, path.join(FIXTURES, f));

async function read(files: string[]) {
  const flows: FlowRecord[] = [];
  const problems: FlowProblem[] = [];
  const stats = await readFlows(files, (f) => flows.push(f), (p) => problems.push(p));
  return { flows, problems, stats };
}

const short = (f: FlowRecord) => {
  const end = (e: FlowRecord['src']) => (e.kind === 'pod' ? `${e.namespace}/${e.labels.app ?? e.labels['k8s-app'] ?? e.name}` : e.kind === 'ip' ? `ip:${e.ip ?? '?'}` : 'node');
  return `${end(f.src)} → ${end(f.dst)} ${f.protocol} ${f.port}`;
};

test('Hubble jsonpb: initiations kept, replies/drops/node_status skipped and counted, the broken line reported by file:line', async () => {
  const file = rel('hubble-demo.jsonpb');
  const { flows, problems, stats } = await read([file]);
  assert.deepEqual(flows.map(short), [
    'shop/storefront → kube-system/kube-dns UDP 53',
    'shop/storefront → payments/payments-api TCP 8443',
    'shop/storefront → payments/payments-api TCP 8443',
    'shop/storefront → ip:203.0.113.7 TCP 443',
    'node → shop/storefront TCP 8080',
    `shop/${'nightly-report-29421540-mz5qj'} → shop/storefront TCP 8080`,
  ]);
  assert.deepEqual(stats.skipped, { reply: 3, denied: 1, 'not-a-flow': 1 });
  assert.equal(stats.malformed, 1);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.at, `${file}:12`);
  assert.match(problems[0]!.message, /not JSON/);
  assert.equal(problems[0]!.fatal, false);
  // Cilium's `k8s:` prefix is removed; the world destination keeps the DNS name Hubble saw.
  const world = flows[3]!.dst;
  assert.deepEqual(world, { kind: 'ip', ip: '203.0.113.7', names: ['api.stripe.example'], label: 'world' });
  const src = flows[1]!.src;
  assert.equal(src.kind, 'pod');
  if (src.kind === 'pod') {
    assert.equal(src.labels.app, 'storefront');
    assert.deepEqual(src.workload, { name: 'storefront', kind: 'Deployment' });
    assert.deepEqual(stablePodLabels(src.labels), { app: 'storefront' });
  }
  assert.equal(flows[0]!.at, `${file}:1`);
});

test('Hubble -o json (bare Flow objects): a TCP packet without is_reply and without a bare SYN is of unknown direction and skipped', async () => {
  const { flows, stats } = await read([rel('hubble-demo.json')]);
  assert.deepEqual(flows.map(short), ['shop/storefront → payments/payments-api TCP 8443']);
  assert.deepEqual(stats.skipped, { 'direction-unknown': 1 });
});

test('Calico flow logs: allowed flows of both reporters kept, deny/ICMP skipped, an aggregated-away address kept as an address-less endpoint', async () => {
  const file = rel('calico-flows.log');
  const { flows, problems, stats } = await read([file]);
  assert.deepEqual(flows.map(short), [
    'shop/storefront → payments/payments-api TCP 8443',
    'shop/storefront → payments/payments-api TCP 8443',
    'shop/storefront → kube-system/kube-dns UDP 53',
    'shop/storefront → ip:203.0.113.7 TCP 443',
    'shop/storefront → ip:? TCP 443',
  ]);
  assert.deepEqual(stats.skipped, { denied: 1, 'not-l4': 1 });
  assert.deepEqual(problems.map((p) => p.at), [`${file}:8`, `${file}:9`]);
  assert.match(problems[1]!.message, /dest_port is not a port number/);
  const src = flows[0]!.src;
  if (src.kind === 'pod') {
    assert.equal(src.name, 'storefront-6d8f7c9b5d-*');
    // Calico's own projectcalico.org/* labels are not pod labels.
    assert.deepEqual(stablePodLabels(src.labels), { app: 'storefront' });
  } else assert.fail('a workload endpoint');
  assert.deepEqual(flows[3]!.dst, { kind: 'ip', ip: '203.0.113.7', names: ['api.stripe.example'], label: 'pub' });
});

test('gzipped logs are read by their magic bytes; a missing file is a fatal problem and the other files are still read', async () => {
  await withTempDir('kubeharden-flows-', async (dir) => {
    const { readFile } = await import('node:fs/promises');
    const gz = path.join(dir, 'flows.log'); // no .gz suffix on purpose
    await writeFile(gz, gzipSync(await readFile(path.join(FIXTURES, 'calico-flows.log'))));
    const missing = path.join(dir, 'nope.json');
    const { flows, problems, stats } = await read([missing, gz]);
    assert.equal(flows.length, 5);
    assert.equal(stats.files, 1);
    assert.equal(problems[0]!.at, missing);
    assert.equal(problems[0]!.fatal, true);
    assert.deepEqual(problems.slice(1).map((p) => p.at), [`${gz}:8`, `${gz}:9`]);
  });
});

test('lines of other shapes are reported, not guessed at', async () => {
  await withTempDir('kubeharden-flows-', async (dir) => {
    const f = path.join(dir, 'mixed.jsonl');
    await writeFile(f, ['[1,2]', '{"hello":"world"}', '', '{"flow":{"verdict":"FORWARDED","l4":{"TCP":{"destination_port":70000}},"source":{},"destination":{}}}', '{"flow":{"verdict":"FORWARDED","l4":{"ICMPv4":{"type":8}},"source":{},"destination":{}}}'].join('\n'));
    const { flows, problems, stats } = await read([f]);
    assert.equal(flows.length, 0);
    assert.deepEqual(problems.map((p) => [p.at, p.message]), [
      [`${f}:1`, 'not a JSON object'],
      [`${f}:2`, 'neither a Hubble flow nor a Calico flow log entry'],
      [`${f}:4`, 'l4.TCP.destination_port is not a port number'],
    ]);
    assert.deepEqual(stats.skipped, { 'not-l4': 1 });
    assert.equal(stats.lines, 4);
  });
});

test('stable labels: per-pod and per-revision labels and the plugins\' identity labels are dropped', () => {
  assert.deepEqual(
    stablePodLabels({
      app: 'web',
      tier: 'front',
      'pod-template-hash': '6d8f7c9b5d',
      'controller-revision-hash': 'web-7c9',
      'statefulset.kubernetes.io/pod-name': 'web-0',
      'apps.kubernetes.io/pod-index': '0',
      'batch.kubernetes.io/job-name': 'x-1',
      'job-name': 'x-1',
      'io.kubernetes.pod.namespace': 'shop',
      'io.cilium.k8s.policy.serviceaccount': 'default',
      'projectcalico.org/namespace': 'shop',
    }),
    { app: 'web', tier: 'front' },
  );
});
