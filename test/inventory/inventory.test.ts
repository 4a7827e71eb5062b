import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryFromYaml } from '../helpers.js';

const TEXT = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: shop}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: shop, labels: {second: "yes"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: c, image: busybox}]
---
apiVersion: example.com/v1
kind: Deployment
metadata: {name: not-apps}
spec:
  template:
    spec:
      containers: [{name: c, image: x}]
---
apiVersion: v1
kind: ReplicationController
metadata: {name: no-template}
spec:
  template: null
`;

test('find and inNamespace are exact about namespaces; the last duplicate wins', () => {
  const inv = inventoryFromYaml(TEXT);
  assert.equal(inv.find('ServiceAccount', 'shop', 'app')?.labels.second, 'yes');
  assert.equal(inv.find('ServiceAccount', undefined, 'app')?.namespace, undefined);
  assert.equal(inv.find('ServiceAccount', 'other', 'app'), undefined);
  assert.equal(inv.inNamespace('ServiceAccount', 'shop').length, 2);
  assert.equal(inv.inNamespace('ServiceAccount', undefined).length, 1);
});

test('pod specs are extracted from every pod-bearing kind of the right API group, with their paths', () => {
  const inv = inventoryFromYaml(TEXT);
  assert.deepEqual(inv.pods.map((p) => [p.object.kind, p.specPath.join('.'), p.metaPath.join('.')]), [
    ['Deployment', 'spec.template.spec', 'spec.template.metadata'],
    ['CronJob', 'spec.jobTemplate.spec.template.spec', 'spec.jobTemplate.spec.template.metadata'],
  ]);
  assert.deepEqual(inv.pods[0]!.meta, { labels: { app: 'web' } });
  assert.deepEqual(inv.problems, []);
});

test('a live object is kept as a copy equal to its JSON round trip: detached, undefined fields left out as JSON does', async () => {
  const { keptCopy } = await import('../../src/inventory/inventory.js');
  const fc = (await import('fast-check')).default;
  fc.assert(
    fc.property(fc.jsonValue(), fc.jsonValue(), (spec, data) => {
      const item = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'web' }, gone: undefined }, spec, data, list: [1, undefined, 'x'] };
      const strings = new Map<string, string>();
      const copy = keptCopy(item, strings) as Record<string, unknown>;
      assert.deepEqual(copy, JSON.parse(JSON.stringify(item)));
      assert.notEqual(copy.metadata, item.metadata);
      // A second object with the same values shares the strings the table already holds.
      assert.deepEqual(keptCopy(structuredClone(item), strings), copy);
    }),
    { numRuns: 1000 },
  );
  // What JSON.parse can give that the round trip changes: -0 (found by the property above).
  assert.ok(Object.is((keptCopy(JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","data":{"n":-0}}'), new Map()) as { data: { n: number } }).data.n, 0));
});

test('a "__proto__" key of a live object stays a key of the copy, as JSON.parse made it', async () => {
  const { keptCopy } = await import('../../src/inventory/inventory.js');
  const item = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"__proto__":{"polluted":"yes"},"b":"c"}}');
  const copy = keptCopy(item, new Map()) as { data: Record<string, unknown> };
  assert.deepEqual(Object.keys(copy.data), ['__proto__', 'b']);
  assert.equal(Object.getPrototypeOf(copy.data), Object.prototype);
  assert.equal((copy.data as { polluted?: string }).polluted, undefined);
});
