import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerNoDangerousCapabilities as check } from '../../../src/checks/workload/container-no-dangerous-capabilities.js';
import { paths, runCheck } from '../../helpers.js';

test('passes when only harmless capabilities are added', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1.2.3
        securityContext:
          capabilities: {drop: [ALL], add: [NET_BIND_SERVICE, CHOWN]}
`);
  assert.deepEqual(v, []);
});

test('fails per dangerous entry, including lower-case and CAP_-prefixed spellings', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: init
    image: busybox:1.36
    securityContext:
      capabilities: {add: [NET_BIND_SERVICE, SYS_ADMIN]}
  containers:
  - name: app
    image: app:1.2.3
    securityContext:
      capabilities: {add: [sys_ptrace, CAP_NET_ADMIN, CAP_CHOWN, BPF]}
`);
  assert.deepEqual(paths(v), [
    'spec.initContainers[0].securityContext.capabilities.add[1]',
    'spec.containers[0].securityContext.capabilities.add[0]',
    'spec.containers[0].securityContext.capabilities.add[1]',
    'spec.containers[0].securityContext.capabilities.add[3]',
  ]);
  assert.equal(v[0]!.message, 'container "init" adds the dangerous capability SYS_ADMIN; remove it');
  assert.match(v[1]!.message, /"sys_ptrace", which containerd grants as SYS_PTRACE/);
  assert.match(v[2]!.message, /"CAP_NET_ADMIN", which is not a valid Kubernetes capability name \(write NET_ADMIN without CAP_\)/);
});
