// Declared flows are evidence: the policies `generate netpol` writes for a namespace keep every
// flow that another namespace's policies explicitly allow to or from its pods. Proven on the
// demo cluster (the regression of issue 17: storefront → payments 8443 was cut) and on small
// clusters for the symmetric case, named ports, and what is deliberately not mirrored.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { planNetpol } from '../../src/fix/netpol-plan.js';
import { netpolYaml } from '../../src/fix/netpol-yaml.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { addText } from '../../src/inventory/parse-manifest.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { inventoryFromYaml, matrixCells, REPO_ROOT } from '../helpers.js';

const matrix = matrixCells;

/** The inventory with YAML added, as `netpol matrix INPUT generated.yaml` reads it. */
function withYaml(inventory: Inventory, yaml: string): Inventory {
  const out = new Inventory();
  for (const o of inventory.objects) out.add(o);
  addText(out, 'generated.yaml', yaml, 100000);
  return out;
}

const policyNames = (yaml: string) => parseAllDocuments(yaml).map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name);

test('demo cluster: the policies for shop keep storefront → payments-api TCP 8443, which payments declares (before the fix: cut to none)', async () => {
  const { inventory } = await loadManifests([path.join(REPO_ROOT, 'examples/demo-cluster')]);
  const FLOW = 'shop/storefront → payments/payments-api';
  assert.equal((await matrix(inventory))[FLOW], 'TCP 8443');
  const plan = planNetpol(inventory, 'shop');
  assert.deepEqual(plan.problems, []);
  assert.ok(policyNames(plan.yaml).includes('keep-egress-to-payments-allow-storefront'));
  assert.equal((await matrix(withYaml(inventory, plan.yaml)))[FLOW], 'TCP 8443');
  // The same set without the kept flow is what the generator wrote before: the flow is cut.
  const withoutKeep = netpolYaml(plan.generated.filter((g) => !(g.policy.metadata as { name: string }).name.startsWith('keep-')));
  assert.equal((await matrix(withYaml(inventory, withoutKeep)))[FLOW], 'none');
  // The before/after comparison says it was kept, and cuts no declared flow.
  assert.deepEqual(plan.comparison.keptDeclared, [{ from: 'shop/storefront', to: 'payments/payments-api', ports: 'TCP 8443', declaredBy: ['payments/allow-storefront spec.ingress[0]'] }]);
  assert.deepEqual(plan.comparison.changes.filter((c) => c.declaredBy.length), []);
  // Every change is a pair with an end in shop, and every cut is listed.
  for (const c of plan.comparison.changes) assert.ok(c.from.startsWith('shop/') || c.to.startsWith('shop/'), `${c.from} → ${c.to}`);
  assert.ok(plan.comparison.changes.some((c) => c.from === 'shop/storefront' && c.to === 'default/debug-shell' && c.before === 'all' && c.after === 'none' && c.cut === 'all'));
});

/** A Deployment whose pods carry `app: NAME` (plus `extra` labels) and declare `ports` (flow-style YAML). */
function deployment(namespace: string, name: string, ports = '[]', extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}${extra}}}
    spec: {containers: [{name: c, image: x, ports: ${ports}}]}
---
`;
}

const CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: data, labels: {team: data}}
---
apiVersion: v1
kind: Namespace
metadata: {name: edge}
---
${deployment('shop', 'api', '[{containerPort: 8080, name: http}, {containerPort: 9090, name: metrics}]', ', version: v2')}${deployment('shop', 'web')}${deployment('data', 'db', '[{containerPort: 5432, name: pg}]')}${deployment('data', 'etl')}${deployment('edge', 'proxy', '[{containerPort: 443}]')}# data: db admits shop/api on the named port pg; etl may call shop/api on its named port http.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: isolate, namespace: data}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: data}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}, podSelector: {matchLabels: {app: api}}}]
      ports: [{port: pg}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: etl-to-api, namespace: data}
spec:
  podSelector: {matchLabels: {app: etl}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}, podSelector: {matchLabels: {app: api}}}]
      ports: [{port: http}]
---
# edge: proxy is open to every source (not a declaration about shop) and to every pod of every namespace.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: proxy-open, namespace: edge}
spec:
  podSelector: {matchLabels: {app: proxy}}
  ingress:
    - ports: [{port: 443}]
    - from: [{namespaceSelector: {}}]
      ports: [{port: 443}]
`;

test('an ingress rule elsewhere with a named port gets the matching egress here; an egress rule elsewhere gets the matching ingress', async () => {
  const inventory = inventoryFromYaml(CLUSTER);
  const before = await matrix(inventory);
  assert.equal(before['shop/api → data/db'], 'TCP 5432');
  assert.equal(before['data/etl → shop/api'], 'TCP 8080');
  const plan = planNetpol(inventory, 'shop', { proposals: false });
  assert.deepEqual(plan.problems, []);
  assert.deepEqual(policyNames(plan.yaml), ['default-deny', 'allow-dns-egress', 'keep-egress-to-data-db-from-api', 'keep-ingress-from-data-etl-to-api']);
  const after = await matrix(withYaml(inventory, plan.yaml));
  assert.equal(after['shop/api → data/db'], 'TCP 5432');
  assert.equal(after['data/etl → shop/api'], 'TCP 8080');
  // Only those: web gets nothing from the rules that name api, and api's metrics port stays closed to etl.
  assert.equal(after['shop/web → data/db'], 'none');
  assert.equal(after['data/etl → shop/web'], 'none');
  // The mirrored rule keeps the named port as written, selectors as written.
  const keep = parseAllDocuments(plan.yaml).map((d) => d.toJS()).find((d) => d.metadata.name === 'keep-egress-to-data-db-from-api');
  assert.deepEqual(keep.spec, {
    podSelector: { matchLabels: { app: 'api' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 'pg' }] }],
  });
});

test('rules open to every source are not mirrored: the cut they allowed is reported as a cut of a declared flow', () => {
  const inventory = inventoryFromYaml(CLUSTER);
  const plan = planNetpol(inventory, 'shop', { proposals: false });
  const cut = plan.comparison.changes.find((c) => c.from === 'shop/web' && c.to === 'edge/proxy');
  assert.ok(cut, 'shop/web → edge/proxy changes');
  assert.equal(cut.before, 'TCP 443');
  assert.equal(cut.after, 'none');
  assert.deepEqual(cut.declaredBy, ['edge/proxy-open spec.ingress[0]', 'edge/proxy-open spec.ingress[1]']);
});

test('kube-system keeps its egress open: an ingress rule elsewhere admitting its pods adds no egress policy there', async () => {
  const inventory = inventoryFromYaml(`
${deployment('kube-system', 'metrics')}${deployment('shop', 'api')}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: scrape, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {app: metrics}}}]
      ports: [{port: 9090}]
`);
  const plan = planNetpol(inventory, 'kube-system', { proposals: false });
  assert.deepEqual(policyNames(plan.yaml), ['default-deny-ingress', 'allow-dns-ingress']);
  assert.equal((await matrix(withYaml(inventory, plan.yaml)))['kube-system/metrics → shop/api'], 'TCP 9090');
  // For shop the same rule is this namespace's own: it stays in force, nothing to mirror.
  assert.ok(!policyNames(planNetpol(inventory, 'shop').yaml).some((n) => n.startsWith('keep-')));
});
