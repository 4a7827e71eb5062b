import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerReadOnlyRootFilesystem as check } from '../../../src/checks/workload/container-read-only-root-filesystem.js';
import { paths, runCheck } from '../../helpers.js';

test('passes when every container has a read-only root filesystem', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      initContainers:
      - {name: init, image: busybox:1.36, securityContext: {readOnlyRootFilesystem: true}}
      containers:
      - {name: app, image: nginx:1.27, securityContext: {readOnlyRootFilesystem: true}}
`);
  assert.deepEqual(v, []);
});

test('fails for each container that is unset or false, naming it', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - {name: init, image: busybox:1.36}
  containers:
  - {name: app, image: nginx:1.27, securityContext: {readOnlyRootFilesystem: false}}
  - {name: ok, image: nginx:1.27, securityContext: {readOnlyRootFilesystem: true}}
`);
  assert.deepEqual(paths(v), [
    'spec.initContainers[0].securityContext.readOnlyRootFilesystem',
    'spec.containers[0].securityContext.readOnlyRootFilesystem',
  ]);
  assert.match(v[0]!.message, /"init" does not set/);
  assert.match(v[1]!.message, /"app" sets readOnlyRootFilesystem: false/);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/initContainers/0/securityContext', value: { readOnlyRootFilesystem: true } }]);
});

test('YAML 1.1 "yes" counts as true, as Kubernetes reads it', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      readOnlyRootFilesystem: yes
`);
  assert.deepEqual(v, []);
});
