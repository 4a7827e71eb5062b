import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceResourceQuotaDefined as check } from '../../../src/checks/workload/namespace-resourcequota-defined.js';
import { contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';

const base = (ns: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: ${ns}}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - {name: run, image: report:2.0.0}
---`;

test('passes with hard bounds on the four resources, accepting the cpu/memory aliases and several quotas', () => {
  const v = runCheck(
    check,
    base('shop') +
      `
apiVersion: v1
kind: ResourceQuota
metadata: {name: requests, namespace: shop}
spec:
  hard: {cpu: "1", memory: 1Gi}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: limits, namespace: shop}
spec:
  hard: {limits.cpu: "2", limits.memory: 2Gi, pods: "10"}
`,
  );
  assert.deepEqual(v, []);
});

test('fails for no quota, and for bounds only in a scoped quota', () => {
  const v = runCheck(
    check,
    base('shop') +
      base('blog') +
      `
apiVersion: v1
kind: ResourceQuota
metadata: {name: besteffort, namespace: blog}
spec:
  scopes: [NotBestEffort]
  hard: {requests.cpu: "1", requests.memory: 1Gi, limits.cpu: "2", limits.memory: 2Gi}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: partial, namespace: blog}
spec:
  hard: {requests.cpu: "1"}
`,
  );
  assert.deepEqual(paths(v), ['metadata.name', 'metadata.name']);
  assert.match(v[0]!.message, /^Namespace shop holds workloads but has no ResourceQuota/);
  assert.equal(v[1]!.message, 'Namespace blog holds workloads but no unscoped ResourceQuota in it sets spec.hard requests.memory, limits.cpu, limits.memory; add them');
});

test('skips with a reason when no Namespace of the input holds a workload', () => {
  const inventory = inventoryFromYaml('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
  const outcome = check.evaluate(inventory, contextFor(inventory));
  assert.ok('skip' in outcome && /no user Namespace in the input holds a workload/.test(outcome.skip));
});
