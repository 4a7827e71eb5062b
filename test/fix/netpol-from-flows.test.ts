// Policies from observed flows, proven with the engine: a generated cluster, its traffic written
// as Hubble flows and as Calico flow log entries (replies, per-pod names and revision labels
// included, as the plugins write them), policies generated for each namespace from the flows,
// then every observed flow asked of `netpol reach` (all allowed) and a set of flows that were
// not observed (all denied).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { NetpolModel } from '../../src/analysis/netpol/model.js';
import { FlowAggregate } from '../../src/fix/netpol-from-flows.js';
import { planNetpol, type NetpolPlan } from '../../src/fix/netpol-plan.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { addText } from '../../src/inventory/parse-manifest.js';
import { reachAnswer } from '../../src/queries/netpol.js';
import { readFlows } from '../../src/sources/flows/read-flows.js';
import { inventoryFromYaml, REPO_ROOT, withTempDir } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';
import { calicoLines, clusterYaml, hubbleLines, NOT_OBSERVED, OBSERVED, type Flow } from './flow-cluster.js';

async function planFromFlows(inventory: Inventory, file: string, namespaces: string[]): Promise<{ plans: NetpolPlan[]; applied: NetpolModel }> {
  const aggregate = new FlowAggregate();
  const stats = await readFlows([file], (f) => aggregate.add(f), (p) => assert.fail(`${p.at}: ${p.message}`));
  assert.equal(stats.malformed, 0);
  const plans = namespaces.map((ns) => planNetpol(inventory, ns, { flows: aggregate.list(), flowSources: [file], proposals: false }));
  const applied = new Inventory();
  for (const o of inventory.objects) applied.add(o);
  plans.forEach((p, i) => addText(applied, `generated-${i}.yaml`, p.yaml, 100000 * (i + 1)));
  return { plans, applied: new NetpolModel(applied) };
}

function withPolicies(inventory: Inventory, yaml: string): Inventory {
  const out = new Inventory();
  for (const o of inventory.objects) out.add(o);
  addText(out, 'generated.yaml', yaml, 100000);
  return out;
}

function verdict(model: NetpolModel, [from, to, protocol, port]: Flow): string {
  const answer = reachAnswer(model, from, to, protocol, port);
  if ('error' in answer) throw new Error(answer.error);
  return answer.verdict;
}

for (const format of ['hubble', 'calico'] as const) {
  test(`${format}: policies from the flows allow every observed flow and deny every unobserved one (netpol reach)`, async () => {
    await withTempDir('kubeharden-flowgen-', async (dir) => {
      const file = path.join(dir, format === 'hubble' ? 'flows.jsonpb' : 'flows.log');
      await writeFile(file, (format === 'hubble' ? hubbleLines() : calicoLines()).join('\n') + '\n');
      const inventory = inventoryFromYaml(clusterYaml());
      const { plans, applied } = await planFromFlows(inventory, file, ['shop', 'data']);
      for (const p of plans) {
        assert.deepEqual(p.problems, []);
        assert.deepEqual(p.fromFlows!.leftOut, []);
        // The dry run of each plan: every observed flow with an end in its namespace allowed.
        assert.ok(p.dryRun!.length > 0);
        assert.deepEqual(p.dryRun!.filter((d) => d.verdict !== 'allowed'), []);
        // Nothing broader: among the workloads of the input, each rule selects and admits only those seen.
        assert.deepEqual(p.broader, []);
      }
      // Before: nothing is isolated, so the unobserved flows are allowed — the denials below are the policies' doing.
      const before = new NetpolModel(inventory);
      for (const f of NOT_OBSERVED) assert.equal(verdict(before, f), 'allowed', `before: ${f.join(' ')}`);
      for (const f of OBSERVED) assert.equal(verdict(applied, f), 'allowed', `observed: ${f.join(' ')}`);
      for (const f of NOT_OBSERVED) assert.equal(verdict(applied, f), 'denied', `not observed: ${f.join(' ')}`);
    });
  });
}

test('the rules: selected by stable labels, peers by namespace name, the external address as a /32, DNS left to the DNS allowance, a comment per rule', async () => {
  await withTempDir('kubeharden-flowgen-', async (dir) => {
    const file = path.join(dir, 'flows.jsonpb');
    await writeFile(file, hubbleLines().join('\n'));
    const { plans } = await planFromFlows(inventoryFromYaml(clusterYaml()), file, ['shop']);
    const yaml = plans[0]!.yaml;
    const docs = parseAllDocuments(yaml).map((d) => d.toJS());
    const egressApi = docs.find((d) => d.metadata.name === 'allow-observed-egress-api');
    assert.deepEqual(egressApi.spec, {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { app: 'db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { app: 'cache' } } }], ports: [{ protocol: 'TCP', port: 6379 }] },
        { to: [{ ipBlock: { cidr: '203.0.113.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      ],
    });
    const ingressApi = docs.find((d) => d.metadata.name === 'allow-observed-ingress-api');
    assert.deepEqual(ingressApi.spec.ingress, [
      { from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
    // No rule towards the DNS pods: allow-dns-egress covers them.
    assert.ok(!/kube-dns/.test(docs.filter((d) => d.metadata.name.startsWith('allow-observed')).map((d) => JSON.stringify(d)).join('')));
    assert.ok(docs.every((d) => !JSON.stringify(d).includes('pod-template-hash') && !JSON.stringify(d).includes('version')));
    // A comment above each rule naming the flows it covers, with where they were first seen.
    assert.match(yaml, /# covers:\n\s+# 2× shop\/api → data\/db TCP 5432 \(first: .*flows\.jsonpb:\d+\)\n\s+- to:/);
    assert.match(yaml, /# 2× shop\/api → 203\.0\.113\.10 \(payments\.example\.net\) TCP 443 .*\n\s+# seen as: payments\.example\.net — the address behind a name can change/);
    assert.equal((yaml.match(/# covers:/g) ?? []).length, docs.filter((d) => d.metadata.name.startsWith('allow-observed')).reduce((n, d) => n + (d.spec.egress ?? d.spec.ingress).length, 0));
  });
});

test('a rule broader than the evidence is named: a canary carrying the same app label is selected too', async () => {
  await withTempDir('kubeharden-flowgen-', async (dir) => {
    const file = path.join(dir, 'flows.jsonpb');
    await writeFile(file, hubbleLines().join('\n'));
    const canary = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api-canary, namespace: shop}
spec:
  selector: {matchLabels: {app: api, track: canary}}
  template:
    metadata: {labels: {app: api, track: canary}}
    spec: {containers: [{name: main, image: registry.example/api:1.5}]}
`;
    const { plans } = await planFromFlows(inventoryFromYaml(clusterYaml() + canary), file, ['shop']);
    const text = (b: { policy: string; where: string; beyond: string[] }) => `${b.policy} ${b.where}: ${b.beyond.join(', ')}`;
    assert.deepEqual(plans[0]!.broader!.map(text).sort(), [
      'shop/allow-observed-egress-api spec.podSelector: shop/api-canary',
      'shop/allow-observed-egress-frontend spec.egress[0]: shop/api-canary',
      'shop/allow-observed-ingress-api spec.podSelector: shop/api-canary',
    ]);
  });
});

test('single addresses on the same ports share one rule (an OR of ipBlocks); an address seen on other ports too keeps its own', () => {
  const inventory = inventoryFromYaml(clusterYaml());
  const aggregate = new FlowAggregate();
  const api = { kind: 'pod' as const, namespace: 'shop', labels: { app: 'api', version: '1.4' } };
  const to = (ip: string, port: number) => aggregate.add({ format: 'hubble', src: api, dst: { kind: 'ip', ip, names: [] }, protocol: 'TCP', port, at: `f:${port}` });
  to('203.0.113.10', 443);
  to('198.51.100.5', 443);
  to('2001:db8::7', 443);
  to('198.51.100.5', 8443);
  const plan = planNetpol(inventory, 'shop', { flows: aggregate.list(), proposals: false });
  const egress = parseAllDocuments(plan.yaml).map((d) => d.toJS()).find((d) => d.metadata.name === 'allow-observed-egress-api').spec.egress;
  assert.deepEqual(egress, [
    { to: [{ ipBlock: { cidr: '203.0.113.10/32' } }, { ipBlock: { cidr: '2001:db8::7/128' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    { to: [{ ipBlock: { cidr: '198.51.100.5/32' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 8443 }] },
  ]);
  assert.match(plan.yaml, /# covers:\n\s+# 1× shop\/api → 203\.0\.113\.10 TCP 443 \(first: f:443\)\n\s+# 1× shop\/api → 2001:db8::7 TCP 443/);
  assert.deepEqual(plan.dryRun!.map((d) => d.verdict), ['allowed', 'allowed', 'allowed', 'allowed']);
  const model = new NetpolModel(withPolicies(inventory, plan.yaml));
  assert.equal(verdict(model, ['shop/api', '203.0.113.10', 'TCP', 8443]), 'denied');
  assert.equal(verdict(model, ['shop/api', '198.51.100.5', 'TCP', 8443]), 'allowed');
  assert.equal(verdict(model, ['shop/api', '198.51.100.6', 'TCP', 443]), 'denied');
});

test('a real Hubble exporter sample (Cilium docs): labels masked out, workloads found by pod name', async () => {
  // test/fixtures/flows/cilium-docs-export.jsonpb, copied from the Cilium documentation (Apache-2.0):
  // both flows were DROPPED, so they are no evidence of a needed flow.
  const real = path.join(REPO_ROOT, 'test/fixtures/flows/cilium-docs-export.jsonpb');
  const none = new FlowAggregate();
  const stats = await readFlows([real], (f) => none.add(f), (p) => assert.fail(`${p.at}: ${p.message}`));
  assert.deepEqual([stats.lines, stats.flows, stats.malformed, stats.skipped], [2, 0, 0, { denied: 2 }]);
  // The same lines as if the connection had gone through (verdict FORWARDED), against the docs' Star Wars demo.
  await withTempDir('kubeharden-flowgen-', async (dir) => {
    const forwarded = path.join(dir, 'forwarded.jsonpb');
    await writeFile(forwarded, (await readFile(real, 'utf8')).replaceAll('"verdict":"DROPPED"', '"verdict":"FORWARDED"'));
    const inventory = inventoryFromYaml(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: deathstar, namespace: default}
spec:
  selector: {matchLabels: {org: empire, class: deathstar}}
  template:
    metadata: {labels: {org: empire, class: deathstar}}
    spec: {containers: [{name: deathstar, image: docker.io/cilium/starwars, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: xwing, namespace: default, labels: {org: alliance, class: xwing}}
spec: {containers: [{name: spaceship, image: quay.io/cilium/json-mock}]}
`);
    const aggregate = new FlowAggregate();
    await readFlows([forwarded], (f) => aggregate.add(f), () => undefined);
    const plan = planNetpol(inventory, 'default', { flows: aggregate.list(), proposals: false });
    assert.deepEqual(plan.fromFlows!.leftOut, []);
    const docs = parseAllDocuments(plan.yaml).map((d) => d.toJS());
    assert.deepEqual(docs.find((d) => d.metadata.name === 'allow-observed-ingress-deathstar').spec.ingress, [
      { from: [{ podSelector: { matchLabels: { org: 'alliance', class: 'xwing' } } }], ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
    assert.deepEqual(plan.dryRun!.map((d) => [d.flow, d.verdict]), [['default/xwing → default/deathstar TCP 80', 'allowed']]);
  });
});

test('CLI: --from-flows writes the policies, shows the matrix change and the dry run; exit 1 when an observed flow cannot be kept', async () => {
  await withTempDir('kubeharden-flowgen-', async (dir) => {
    const manifests = path.join(dir, 'cluster.yaml');
    await writeFile(manifests, clusterYaml());
    const flows = path.join(dir, 'flows.log');
    await writeFile(flows, calicoLines().join('\n') + '\n{not json\n');
    const ok = await runCli(['generate', 'netpol', '-n', 'shop', manifests, '--from-flows', flows]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, new RegExp(`warning: ${flows.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: not JSON`));
    assert.match(ok.stderr, /dry run \(netpol reach\): all 9 observed flow\(s\) with an end in shop are allowed by the policies as written/);
    assert.match(ok.stderr, /warning: cuts 33 connection\(s\) open before only because no policy isolated either end:\n(.*\n)*kubeharden:   shop\/frontend → data\/db: all → none\n/);
    assert.match(ok.stdout, /name: allow-observed-egress-api/);
    // --changes: the whole comparison as JSON, every changed connection with the ports it loses.
    const changes = path.join(dir, 'changes.json');
    const withChanges = await runCli(['generate', 'netpol', '-n', 'shop', manifests, '--from-flows', flows, '--changes', changes, '-o', path.join(dir, 'shop.yaml')]);
    assert.equal(withChanges.code, 0, withChanges.stderr);
    const report = JSON.parse(await readFile(changes, 'utf8'));
    assert.equal(report.namespace, 'shop');
    assert.equal(report.changes.length, 33);
    assert.deepEqual(report.changes.find((c: { from: string; to: string }) => c.from === 'shop/api' && c.to === 'data/db'), { from: 'shop/api', to: 'data/db', before: 'all', after: 'TCP 5432', cut: 'TCP 1-5431,5433-65535; UDP all; SCTP all', declaredBy: [] });
    assert.equal(report.dryRun.length, 9);
    assert.deepEqual(report.broader, []);
    // A workload without stable labels (a Job's pods carry only per-run labels) cannot get a rule: said, and exit 1.
    const job = JSON.parse(calicoLines()[0]!);
    job.source_name_aggr = 'report-29421540-*';
    job.source_labels = { labels: ['batch.kubernetes.io/job-name=report-29421540', 'job-name=report-29421540', 'controller-uid=1f2e'] };
    await writeFile(flows, JSON.stringify(job) + '\n');
    const bad = await runCli(['generate', 'netpol', '-n', 'shop', manifests, '--from-flows', flows]);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /no rule written for observed flow shop\/report → shop\/api TCP 8080: shop\/report has no stable pod label/);
    // Flows on standard input, as piped from `hubble observe -o jsonpb`.
    const piped = await runCli(['generate', 'netpol', '-n', 'shop', manifests, '--from-flows', '-'], { input: hubbleLines().join('\n') });
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stderr, /read 44 line\(s\) from 1 flow log\(s\): 22 flow record\(s\), 11 distinct flow\(s\); skipped 22 reply/);
    assert.match(piped.stdout, /first: <stdin>:1\)/);
    const both = await runCli(['generate', 'netpol', '-n', 'shop', '-', '--from-flows', '-']);
    assert.equal(both.code, 2);
    const missing = await runCli(['generate', 'netpol', '-n', 'shop', manifests, '--from-flows', path.join(dir, 'nope.log')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /error: .*nope\.log: cannot read/);
  });
});

test('the stderr account lists up to 40 cuts of open-by-default connections, then says how to get them all; declared cuts always', async () => {
  const { planText } = await import('../../src/cli/commands/generate-netpol.js');
  const cut = (i: number, declaredBy: string[] = []) => ({ from: `shop/w${i}`, to: `other/x${i}`, before: 'all', after: 'none', cut: 'all', declaredBy });
  const plan = {
    generated: [],
    yaml: '',
    problems: [],
    comparison: { compared: 100, keptDeclared: [], changes: [...Array.from({ length: 50 }, (_, i) => cut(i)), cut(99, ['other/p spec.ingress[0]'])] },
  };
  const text = planText(plan, 'shop');
  assert.equal((text.match(/^kubeharden: {3}shop\/w\d+ → /gm) ?? []).length, 40);
  assert.match(text, /… and more: 50 in all; --changes FILE writes every one \(JSON\)/);
  assert.match(text, /warning: cuts a DECLARED flow: shop\/w99 → other\/x99: all → none \(cut: all; allowed before by other\/p spec\.ingress\[0\]\)/);
  const all = planText(plan, 'shop', undefined, undefined, 'changes.json');
  assert.equal((all.match(/^kubeharden: {3}shop\/w\d+ → /gm) ?? []).length, 50);
});
