import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectNotInDefaultNamespace as check } from '../../../src/checks/workload/object-not-in-default-namespace.js';
import { contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';

test('passes for objects in their own namespaces and for the built-ins of default', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: default}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kube-root-ca.crt, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader, namespace: default}
`);
  assert.deepEqual(v, []);
});

test('fails for user objects that name the default namespace; objects without a namespace are not judged', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
`);
  assert.deepEqual(paths(v), ['metadata.namespace', 'metadata.namespace']);
  assert.deepEqual(v.map((x) => x.object?.kind), ['Deployment', 'Service']);
  assert.equal(v[0]!.message, 'Deployment default/web is in the default namespace; move it to a namespace of its own');
});

test('skips with a reason when no object names its namespace', () => {
  const inventory = inventoryFromYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n');
  const outcome = check.evaluate(inventory, contextFor(inventory));
  assert.ok('skip' in outcome && /chosen at apply time/.test(outcome.skip));
});
