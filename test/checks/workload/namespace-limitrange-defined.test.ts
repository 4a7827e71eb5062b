import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceLimitRangeDefined as check } from '../../../src/checks/workload/namespace-limitrange-defined.js';
import { contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';

const workloadIn = (ns: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  template:
    spec:
      containers:
      - {name: app, image: app:1.2.3}
---`;

const namespace = (name: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${name}}
---`;

test('passes when the namespace has a Container LimitRange with default cpu and memory', () => {
  const v = runCheck(
    check,
    namespace('shop') +
      workloadIn('shop') +
      `
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: shop}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
`,
  );
  assert.deepEqual(v, []);
});

test('fails for a missing LimitRange and for one without default limits; namespaces without workloads are not judged', () => {
  const v = runCheck(
    check,
    namespace('shop') +
      namespace('blog') +
      namespace('empty') +
      namespace('kube-system') +
      workloadIn('shop') +
      workloadIn('blog') +
      workloadIn('kube-system') +
      `
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: blog}
spec:
  limits:
  - type: Pod
    max: {cpu: "2"}
  - type: Container
    default: {memory: 256Mi}
`,
  );
  assert.deepEqual(paths(v), ['metadata.name', 'metadata.name']);
  assert.deepEqual(v.map((x) => x.object?.name), ['shop', 'blog']);
  assert.equal(v[0]!.message, 'Namespace shop holds workloads but has no LimitRange; add one with default container limits');
  assert.match(v[1]!.message, /gives no default container limit for cpu/);
});

test('skips with a reason when the input has no Namespace objects', () => {
  const inventory = inventoryFromYaml(workloadIn('shop'));
  const outcome = check.evaluate(inventory, contextFor(inventory));
  assert.ok('skip' in outcome && /no Namespace objects/.test(outcome.skip));
});
