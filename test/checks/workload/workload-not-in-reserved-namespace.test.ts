import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workloadNotInReservedNamespace as check } from '../../../src/checks/workload/workload-not-in-reserved-namespace.js';
import { paths, runCheck } from '../../helpers.js';

const deployment = (namespace?: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web${namespace ? `, namespace: ${namespace}` : ''}}
spec:
  template:
    spec:
      containers:
      - {name: app, image: app:1.2.3}
---`;

test('passes for user namespaces, kube-system, and workloads without a namespace', () => {
  assert.deepEqual(runCheck(check, deployment('shop') + deployment('kube-system') + deployment()), []);
});

test('fails for workloads in kube-public and kube-node-lease', () => {
  const v = runCheck(check, deployment('kube-public') + deployment('kube-node-lease'));
  assert.deepEqual(paths(v), ['metadata.namespace', 'metadata.namespace']);
  assert.match(v[0]!.message, /^Deployment kube-public\/web runs in kube-public/);
});
