import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeSystemIsolated as check } from '../../../src/checks/network/kube-system-isolated-from-other-namespaces.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment } from './manifests.js';

const KUBE_SYSTEM =
  deployment('kube-system', 'coredns', {
    labels: { 'k8s-app': 'kube-dns' },
    ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }, { name: 'metrics', containerPort: 9153 }],
  }) +
  deployment('kube-system', 'metrics-server', { labels: { 'k8s-app': 'metrics-server' } }) +
  deployment('shop', 'web');

const ISOLATION = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: kube-system}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns-from-all, namespace: kube-system}
spec:
  podSelector: {matchLabels: {k8s-app: kube-dns}}
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`;

test('passes when kube-system is default-deny and only DNS is open to other namespaces', () => {
  assert.deepEqual(runCheck(check, KUBE_SYSTEM + ISOLATION), []);
});

test('fails for every kube-system workload reachable from elsewhere, naming sources and ports', () => {
  const v = runCheck(check, KUBE_SYSTEM);
  assert.deepEqual(v.map((x) => x.object?.name), ['coredns', 'metrics-server']);
  assert.deepEqual(paths(v), ['spec.template.metadata.labels', 'spec.template.metadata.labels']);
  assert.match(v[0]!.message, /from a pod of any other namespace \(all ports besides DNS\), shop\/web \(all ports besides DNS\)/);
});

test('an allow from every namespace on the metrics port is reported; DNS alone is not', () => {
  const v = runCheck(check, KUBE_SYSTEM + ISOLATION + `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: metrics, namespace: kube-system}
spec:
  podSelector: {matchLabels: {k8s-app: kube-dns}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}}], ports: [{port: metrics}]}]
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: ops}}
`);
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /kube-system\/coredns can be reached from other namespaces: from shop\/web \(TCP 9153\)/);
});

test('skips when the input has no kube-system workload', () => {
  assert.throws(() => runCheck(check, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n'), /check skipped: the input has no kube-system workload/);
});
