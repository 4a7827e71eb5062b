import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkPolicySelectsPods as check } from '../../../src/checks/network/network-policy-selects-pods.js';
import { paths, runCheck } from '../../helpers.js';

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app.kubernetes.io/name: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`;
const policy = (ns: string, selector: string) => `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p-${ns}, namespace: ${ns}}
spec: {podSelector: ${selector}, policyTypes: [Ingress]}
`;

test('passes when the selector matches a workload (or is empty)', () => {
  assert.deepEqual(runCheck(check, WEB + policy('shop', '{matchLabels: {app.kubernetes.io/name: web}}')), []);
  assert.deepEqual(runCheck(check, WEB + policy('shop', '{}')), []);
});

test('fails on a typo in a label', () => {
  const v = runCheck(check, WEB + policy('shop', '{matchLabels: {app.kubernetes.io/name: wbe}}'));
  assert.deepEqual(paths(v), ['spec.podSelector']);
  assert.match(v[0]!.message, /\(app.kubernetes.io\/name=wbe\) matches no pod in namespace shop/);
});

test('skips policies of namespaces whose workloads are not in the input', () => {
  assert.throws(() => runCheck(check, WEB + policy('other', '{matchLabels: {app: x}}')), /check skipped/);
});
