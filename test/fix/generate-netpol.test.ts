// The generated policies, applied to the demo set (test/fixtures/netpol/demo), give the intended
// reachability — and kubeharden's own scan does not complain about what they fix.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parse } from 'yaml';
import { generateNetpol, PROPOSAL_ANNOTATION } from '../../src/fix/generate-netpol.js';
import { toYaml } from '../../src/cli/commands/generate-netpol.js';
import { NetpolModel } from '../../src/analysis/netpol/model.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { addText } from '../../src/inventory/parse-manifest.js';
import { networkChecks } from '../../src/checks/network/index.js';
import { runChecks } from '../../src/engine/run.js';
import type { Inventory } from '../../src/inventory/inventory.js';
import { matrixCells, REPO_ROOT } from '../helpers.js';

const DEMO = path.join(REPO_ROOT, 'test/fixtures/netpol/demo');

async function demo(): Promise<Inventory> {
  const { inventory } = await loadManifests([DEMO]);
  assert.deepEqual(inventory.problems, []);
  return inventory;
}

function matrix(inventory: Inventory): Promise<Record<string, string>> {
  return matrixCells(inventory);
}

/** Generates for the namespaces and adds the YAML text (as a user would apply the file) to the inventory. */
async function withGenerated(namespaces: string[], proposals = true): Promise<Inventory> {
  const inventory = await demo();
  let id = inventory.size;
  for (const ns of namespaces) {
    const text = toYaml(generateNetpol(await demo(), ns, { proposals }));
    id = addText(inventory, `generated-${ns}.yaml`, text, id);
  }
  return inventory;
}

const WORKLOADS = ['data/db', 'kube-system/coredns', 'shop/frontend', 'shop/api', 'tools/debug'];

test('without policies every workload reaches every workload on every port', async () => {
  const m = await matrix(await demo());
  for (const a of WORKLOADS) for (const b of WORKLOADS) assert.equal(m[`${a} → ${b}`], 'all', `${a} → ${b}`);
});

test('the generated set for shop and data turns the matrix into the intended one', async () => {
  const m = await matrix(await withGenerated(['shop', 'data']));
  const DNS = 'TCP 53; UDP 53';
  const intended: Record<string, string> = {};
  for (const a of WORKLOADS) for (const b of WORKLOADS) intended[`${a} → ${b}`] = 'none';
  Object.assign(intended, {
    // Namespaces without generated policies stay open, except towards the isolated pods.
    'kube-system/coredns → kube-system/coredns': 'all',
    'kube-system/coredns → tools/debug': 'all',
    'tools/debug → kube-system/coredns': 'all',
    'tools/debug → tools/debug': 'all',
    // frontend is behind a LoadBalancer: its port is open to every source.
    'kube-system/coredns → shop/frontend': 'TCP 8080',
    'tools/debug → shop/frontend': 'TCP 8080',
    // The calls the workloads name, and DNS.
    'shop/frontend → shop/api': 'TCP 8080',
    'shop/api → data/db': 'TCP 5432',
    'shop/frontend → kube-system/coredns': DNS,
    'shop/api → kube-system/coredns': DNS,
    'data/db → kube-system/coredns': DNS,
  });
  assert.deepEqual(m, intended);
});

test('without proposals: default-deny plus DNS only', async () => {
  const m = await matrix(await withGenerated(['shop'], false));
  assert.equal(m['shop/frontend → shop/api'], 'none');
  assert.equal(m['tools/debug → shop/frontend'], 'none');
  assert.equal(m['shop/api → kube-system/coredns'], 'TCP 53; UDP 53');
  assert.equal(m['shop/api → data/db'], 'none');
});

test('the output is valid NetworkPolicy YAML; proposals are marked as such', async () => {
  const generated = generateNetpol(await demo(), 'shop');
  const text = toYaml(generated);
  const docs = text.split(/^---$/m).map((d) => parse(d));
  assert.deepEqual(docs.map((d) => d.metadata.name), ['default-deny', 'allow-dns-egress', 'allow-ingress-to-frontend', 'allow-ingress-to-api', 'allow-egress-from-frontend', 'allow-egress-from-api']);
  for (const d of docs) assert.equal(d.kind, 'NetworkPolicy');
  assert.equal(docs.filter((d) => d.metadata.annotations?.[PROPOSAL_ANNOTATION]).length, 4);
  assert.equal((text.match(/# PROPOSAL — review before applying/g) ?? []).length, 4);
  const inventory = await withGenerated(['shop', 'data']);
  assert.deepEqual(new NetpolModel(inventory).invalidPolicies, []);
});

test('kube-system gets ingress isolation with DNS open to all namespaces, and its egress left alone', async () => {
  const generated = generateNetpol(await demo(), 'kube-system', { proposals: false });
  assert.deepEqual(generated.map((g) => (g.policy.metadata as { name: string }).name), ['default-deny-ingress', 'allow-dns-ingress']);
  const m = await matrix(await withGenerated(['kube-system'], false));
  assert.equal(m['tools/debug → kube-system/coredns'], 'TCP 53; UDP 53');
  assert.equal(m['kube-system/coredns → tools/debug'], 'all');
});

test('the scan does not complain about what the generated policies fix', async () => {
  const before = runChecks(await demo(), networkChecks, { type: 'manifests' }).result;
  const after = runChecks(await withGenerated(['shop', 'data', 'kube-system', 'tools']), networkChecks, { type: 'manifests' }).result;
  const failing = (r: typeof before) => r.findings.map((f) => `${f.check} ${f.resource.namespace ?? ''}/${f.resource.name}`).sort();
  assert.ok(failing(before).includes('namespace-has-default-deny-ingress /shop'));
  // What remains is what the generator leaves open on purpose: kube-system's egress.
  assert.deepEqual(failing(after), [
    'namespace-has-default-deny-egress /kube-system',
    'pod-cannot-reach-cloud-metadata kube-system/coredns',
    'pod-isolated-by-network-policy kube-system/coredns',
    // Not a NetworkPolicy matter: a LoadBalancer is filtered by loadBalancerSourceRanges before traffic reaches a node.
    'service-load-balancer-source-restricted shop/frontend',
  ]);
});

/** A Redis Deployment and its Service "cache" in a namespace. */
function cache(namespace: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: cache, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: redis, image: docker.io/library/redis:7.4, ports: [{containerPort: 6379}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: ${namespace}}
spec: {selector: {app: cache}, ports: [{port: 6379}]}
`;
}

test('a Service behind an Ingress is proposed open to every source; one with no known client to its own namespace', async () => {
  const { inventoryFromYaml } = await import('../helpers.js');
  const inventory = inventoryFromYaml(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: blog, namespace: web}
spec:
  selector: {matchLabels: {app: blog}}
  template:
    metadata: {labels: {app: blog}}
    spec: {containers: [{name: blog, image: registry.example/blog:1, ports: [{containerPort: 2368}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: blog, namespace: web}
spec: {selector: {app: blog}, ports: [{port: 80, targetPort: 2368}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: blog, namespace: web}
spec:
  rules:
  - host: blog.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: blog, port: {number: 80}}}}]}
---
${cache('web')}`);
  const byName = Object.fromEntries(generateNetpol(inventory, 'web').map((g) => [(g.policy.metadata as { name: string }).name, g]));
  assert.deepEqual((byName['allow-ingress-to-blog']!.policy.spec as { ingress: unknown }).ingress, [{ ports: [{ protocol: 'TCP', port: 2368 }] }]);
  assert.match(byName['allow-ingress-to-blog']!.reason, /exposed outside the cluster/);
  assert.deepEqual((byName['allow-ingress-to-cache']!.policy.spec as { ingress: unknown }).ingress, [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
  assert.match(byName['allow-ingress-to-cache']!.reason, /No client of Service cache found/);
});

test('each pod template of a custom resource gets its own egress proposal, selecting its own labels', async () => {
  const { inventoryFromYaml } = await import('../helpers.js');
  const inventory = inventoryFromYaml(`
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: etl, namespace: data}
spec:
  headGroupSpec:
    template:
      metadata: {labels: {ray: head}}
      spec: {containers: [{name: head, image: i, env: [{name: CACHE, value: "cache:6379"}]}]}
  workerGroupSpecs:
  - template:
      metadata: {labels: {ray: worker}}
      spec: {containers: [{name: worker, image: i, args: ["--cache=cache:6379"]}]}
---
${cache('data')}`);
  const egress = generateNetpol(inventory, 'data')
    .filter((g) => (g.policy.metadata as { name: string }).name.startsWith('allow-egress-from-'))
    .map((g) => [(g.policy.metadata as { name: string }).name, (g.policy.spec as { podSelector: unknown }).podSelector]);
  assert.deepEqual(egress, [
    ['allow-egress-from-etl-headgroupspec', { matchLabels: { ray: 'head' } }],
    ['allow-egress-from-etl-workergroupspecs-0', { matchLabels: { ray: 'worker' } }],
  ]);
});

test('label values that YAML 1.1 would read as booleans or numbers stay strings, as kubectl reads the output', () => {
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-ingress-to-web', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'yes', tier: '0644', canary: 'on', build: '1e3' } }, policyTypes: ['Ingress'] },
  };
  const text = toYaml([{ policy, proposal: true, reason: 'test' }]);
  // Read back as YAML 1.1, the way kubectl (sigs.k8s.io/yaml on go-yaml v2) reads it.
  const read = parse(text, { version: '1.1' });
  assert.deepEqual(read.spec.podSelector.matchLabels, { app: 'yes', tier: '0644', canary: 'on', build: '1e3' });
});
