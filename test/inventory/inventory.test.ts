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
