import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerDropsNetRaw as check } from '../../../src/checks/workload/container-drops-net-raw.js';
import { paths, runCheck } from '../../helpers.js';

test('passes when each container drops ALL or NET_RAW and adds nothing back', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      initContainers:
      - {name: init, image: busybox:1.36, securityContext: {capabilities: {drop: [NET_RAW]}}}
      containers:
      - {name: app, image: app:1.2.3, securityContext: {capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}}
`);
  assert.deepEqual(v, []);
});

test('fails when NET_RAW is kept or added back, with fixes that create missing fields', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: bare, image: app:1.2.3}
  - {name: partial, image: app:1.2.3, securityContext: {capabilities: {drop: [NET_ADMIN]}}}
  - {name: readds, image: app:1.2.3, securityContext: {capabilities: {drop: [ALL], add: [NET_RAW]}}}
  - {name: lower, image: app:1.2.3, securityContext: {capabilities: {drop: [all]}}}
  - {name: all, image: app:1.2.3, securityContext: {capabilities: {drop: [ALL], add: [CHOWN, ALL]}}}
  - {name: priv, image: app:1.2.3, securityContext: {privileged: true, capabilities: {drop: [ALL]}}}
`);
  assert.deepEqual(paths(v), [
    'spec.containers[0].securityContext.capabilities.drop',
    'spec.containers[1].securityContext.capabilities.drop',
    'spec.containers[2].securityContext.capabilities.add[0]',
    'spec.containers[3].securityContext.capabilities.drop',
    'spec.containers[4].securityContext.capabilities.add[1]',
    'spec.containers[5].securityContext.privileged',
  ]);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/containers/0/securityContext', value: { capabilities: { drop: ['ALL'] } } }]);
  assert.deepEqual(v[1]!.fix, [{ op: 'add', path: '/spec/containers/1/securityContext/capabilities/drop/-', value: 'ALL' }]);
  assert.match(v[2]!.message, /"readds" adds "NET_RAW" back/);
  assert.match(v[3]!.message, /drops "all", which Kubernetes does not read as NET_RAW or ALL/);
  assert.match(v[5]!.message, /"priv" is privileged, which grants every capability/);
});
