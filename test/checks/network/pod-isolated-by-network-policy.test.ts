import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podIsolatedByNetworkPolicy as check } from '../../../src/checks/network/pod-isolated-by-network-policy.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment } from './manifests.js';

const PODS = deployment('shop', 'web') + `
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop, labels: {app: debug}}
spec:
  containers: [{name: sh, image: busybox:1.36}]
`;

test('passes when policies select the pod for both directions (a policy with only egress rules isolates both)', () => {
  const v = runCheck(check, PODS + `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: app, operator: In, values: [web, debug]}]}
  egress: [{to: [{podSelector: {}}]}]
`);
  assert.deepEqual(v, []);
});

test('fails for pods not selected, naming the missing directions', () => {
  const v = runCheck(check, PODS + `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: shop}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: other-ns, namespace: default}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`);
  assert.deepEqual(paths(v), ['spec.template.metadata.labels', 'metadata.labels']);
  assert.match(v[0]!.message, /selects shop\/web for egress:/);
  assert.match(v[1]!.message, /selects shop\/debug for ingress or egress/);
});

test('hostNetwork pods are reported: policies cannot be relied on for them', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ops}
spec:
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers: [{name: a, image: registry.example/agent:1}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: ops}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`);
  assert.deepEqual(paths(v), ['spec.template.spec.hostNetwork']);
  assert.match(v[0]!.message, /implementation-defined/);
});

test('skips when Calico or Cilium policies may isolate the pods: they are not evaluated', () => {
  assert.throws(() => runCheck(check, PODS + `
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: default-deny}
spec: {endpointSelector: {}, ingress: [{}]}
`), /check skipped: the input has policies of other APIs .*CiliumClusterwideNetworkPolicy \(cilium.io\/v2\)/);
});
