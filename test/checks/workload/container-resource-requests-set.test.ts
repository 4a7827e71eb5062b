import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerResourceRequestsSet as check } from '../../../src/checks/workload/container-resource-requests-set.js';
import { paths, runCheck } from '../../helpers.js';

test('passes with requests set, or with a limit the API server copies into the request', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    spec:
      containers:
      - {name: db, image: postgres:16.2, resources: {requests: {cpu: 250m, memory: 512Mi}}}
      - {name: exporter, image: exporter:0.15.0, resources: {limits: {cpu: 100m, memory: 64Mi}}}
`);
  assert.deepEqual(v, []);
});

test('fails for a request set neither directly nor through its limit', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  initContainers:
  - {name: init, image: busybox:1.36, resources: {limits: {memory: 64Mi}}}
  containers:
  - {name: app, image: app:1.2.3}
`);
  assert.deepEqual(paths(v), [
    'spec.initContainers[0].resources.requests.cpu',
    'spec.containers[0].resources.requests.cpu',
    'spec.containers[0].resources.requests.memory',
  ]);
  assert.equal(v[0]!.message, 'container "init" does not set resources.requests.cpu (nor resources.limits.cpu, which it would default to)');
});
