import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkPolicyValid as check } from '../../../src/checks/network/network-policy-valid.js';
import { paths, runCheck } from '../../helpers.js';

test('passes for a valid policy', () => {
  assert.deepEqual(runCheck(check, `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ok, namespace: shop}
spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}], ports: [{port: 80, endPort: 90}]}]}
`), []);
});

test('reports each invalid field of a policy, with its path, and leaves valid policies alone', () => {
  const v = runCheck(check, `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: app, operator: Equal, values: [web]}]}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/40}}]
    ports: [{port: 8, protocol: ICMP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: good, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
`);
  assert.deepEqual(paths(v), ['spec.podSelector.matchExpressions[0]', 'spec.ingress[0].from[0].ipBlock.cidr', 'spec.ingress[0].ports[0].protocol']);
  assert.match(v[2]!.message, /protocol "ICMP" is not supported; use TCP, UDP or SCTP; the API server rejects this policy/);
});

test('an extensions/v1beta1 NetworkPolicy is reported as no longer served; Calico policies are not judged', () => {
  const v = runCheck(check, `
apiVersion: extensions/v1beta1
kind: NetworkPolicy
metadata: {name: old, namespace: shop}
spec: {podSelector: {}}
---
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: calico, namespace: shop}
spec: {selector: all()}
`);
  assert.deepEqual(paths(v), ['apiVersion']);
  assert.match(v[0]!.message, /no longer served/);
});
