import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerRunsWithNonRootGroup as check } from '../../../src/checks/workload/container-runs-with-non-root-group.js';
import { paths, runCheck } from '../../helpers.js';

test('passes with a non-zero pod runAsGroup, fsGroup and supplementalGroups', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      securityContext: {runAsGroup: 10001, fsGroup: 10001, supplementalGroups: [2000]}
      initContainers:
      - {name: init, image: busybox:1.36}
      containers:
      - {name: app, image: app:1.2.3}
`);
  assert.deepEqual(v, []);
});

test('a container value overrides the pod value, both ways', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsGroup: 0}
  containers:
  - {name: fixed, image: app:1.2.3, securityContext: {runAsGroup: 3000}}
  - {name: inherits, image: app:1.2.3}
  - {name: root, image: app:1.2.3, securityContext: {runAsGroup: 0}}
---
apiVersion: v1
kind: Pod
metadata: {name: q}
spec:
  securityContext: {runAsGroup: 3000}
  containers:
  - {name: override, image: app:1.2.3, securityContext: {runAsGroup: 0}}
`);
  assert.deepEqual(paths(v), ['spec.containers[2].securityContext.runAsGroup', 'spec.securityContext.runAsGroup', 'spec.containers[0].securityContext.runAsGroup']);
  assert.equal(v[1]!.message, 'pod sets runAsGroup: 0, which containers "inherits" inherit; use a non-zero group id');
  assert.match(v[2]!.message, /"override" sets runAsGroup: 0/);
});

test('fails per container when nobody sets runAsGroup, and for root fsGroup and supplemental groups', () => {
  const v = runCheck(check, `
apiVersion: batch/v1
kind: Job
metadata: {name: j, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      securityContext: {fsGroup: 0, supplementalGroups: [1000, 0]}
      initContainers:
      - {name: init, image: busybox:1.36}
      containers:
      - {name: app, image: app:1.2.3}
`);
  assert.deepEqual(paths(v), [
    'spec.template.spec.initContainers[0].securityContext.runAsGroup',
    'spec.template.spec.containers[0].securityContext.runAsGroup',
    'spec.template.spec.securityContext.fsGroup',
    'spec.template.spec.securityContext.supplementalGroups[1]',
  ]);
  assert.match(v[0]!.message, /neither it nor the pod sets one/);
});

test('Windows pods are skipped', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: win}
spec:
  os: {name: windows}
  containers:
  - {name: app, image: mcr.microsoft.com/windows/servercore:ltsc2022}
`);
  assert.deepEqual(v, []);
});
