import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerResourceLimitsSet as check } from '../../../src/checks/workload/container-resource-limits-set.js';
import { paths, runCheck } from '../../helpers.js';

test('passes when every init and regular container sets cpu and memory limits', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      initContainers:
      - {name: migrate, image: app:1.2.3, resources: {limits: {cpu: 1, memory: 128Mi}}}
      containers:
      - {name: app, image: app:1.2.3, resources: {limits: {cpu: 500m, memory: 256Mi}}}
`);
  assert.deepEqual(v, []);
});

test('fails per missing or empty limit with its exact path, across a CronJob template', () => {
  const v = runCheck(check, `
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          initContainers:
          - {name: fetch, image: curl:8.5.0}
          containers:
          - {name: run, image: report:2.0.0, resources: {limits: {cpu: "", memory: 1Gi}, requests: {cpu: 100m}}}
`);
  assert.deepEqual(paths(v), [
    'spec.jobTemplate.spec.template.spec.initContainers[0].resources.limits.cpu',
    'spec.jobTemplate.spec.template.spec.initContainers[0].resources.limits.memory',
    'spec.jobTemplate.spec.template.spec.containers[0].resources.limits.cpu',
  ]);
  assert.equal(v[0]!.message, 'container "fetch" does not set resources.limits.cpu');
  assert.equal(v[2]!.message, 'container "run" sets an empty resources.limits.cpu');
});

test('ephemeral containers are skipped', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: app, image: app:1.2.3, resources: {limits: {cpu: 1, memory: 1Gi}}}
  ephemeralContainers:
  - {name: debug, image: busybox:1.36}
`);
  assert.deepEqual(v, []);
});

test('pod-level resource limits stand in for the containers\' limits', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resources: {limits: {cpu: "2", memory: 2Gi}}
  containers:
  - {name: app, image: app:1.2.3}
  - {name: sidecar, image: proxy:1.0.0}
`);
  assert.deepEqual(v, []);
});
