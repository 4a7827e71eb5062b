import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podUsesDedicatedServiceAccount as check } from '../../../src/checks/workload/pod-uses-dedicated-service-account.js';
import { paths, runCheck } from '../../helpers.js';

test('passes for a pod with its own ServiceAccount', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: monitoring}
spec:
  template:
    spec:
      serviceAccountName: agent
      containers:
      - {name: agent, image: agent:3.1.0}
`);
  assert.deepEqual(v, []);
});

test('fails when serviceAccountName is unset, empty, or default', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec:
  containers:
  - {name: app, image: app:1.2.3}
---
apiVersion: batch/v1
kind: Job
metadata: {name: b, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: default
      restartPolicy: Never
      containers:
      - {name: app, image: app:1.2.3}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: shop}
spec:
  serviceAccountName: ""
  containers:
  - {name: app, image: app:1.2.3}
`);
  assert.deepEqual(paths(v), ['spec.serviceAccountName', 'spec.template.spec.serviceAccountName', 'spec.serviceAccountName']);
  assert.match(v[0]!.message, /does not set serviceAccountName/);
  assert.equal(v[1]!.message, 'pod sets serviceAccountName: default; give it a dedicated ServiceAccount');
});

test('a KubeRay head with in-tree autoscaling runs as the account KubeRay names after the cluster, unless that name is "default"', () => {
  const cluster = (name: string) => `
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: ${name}, namespace: ml}
spec:
  enableInTreeAutoscaling: true
  headGroupSpec:
    template:
      spec:
        containers:
        - {name: ray-head, image: rayproject/ray:2.41.0}
  workerGroupSpecs:
  - template:
      spec:
        containers:
        - {name: ray-worker, image: rayproject/ray:2.41.0}
`;
  assert.deepEqual(paths(runCheck(check, cluster('etl'))), ['spec.workerGroupSpecs[0].template.spec.serviceAccountName']);
  const named = runCheck(check, cluster('default'));
  assert.deepEqual(paths(named), ['spec.headGroupSpec.template.spec.serviceAccountName', 'spec.workerGroupSpecs[0].template.spec.serviceAccountName']);
  assert.match(named[0]!.message, /named "default" after the resource/);
});

test('a mirror pod runs under no ServiceAccount at all: not reported', () => {
  const mirror = `
apiVersion: v1
kind: Pod
metadata:
  name: etcd-cp-1
  namespace: kube-system
  annotations: {kubernetes.io/config.mirror: 9d1f}
spec:
  containers:
  - {name: etcd, image: registry.k8s.io/etcd:3.5.15-0}
`;
  assert.deepEqual(runCheck(check, mirror), []);
  assert.equal(runCheck(check, mirror.replace('  annotations: {kubernetes.io/config.mirror: 9d1f}\n', '')).length, 1);
});
