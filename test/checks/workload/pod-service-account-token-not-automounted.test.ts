import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podServiceAccountTokenNotAutomounted as check } from '../../../src/checks/workload/pod-service-account-token-not-automounted.js';
import { paths, runCheck } from '../../helpers.js';

const deployment = (podFields: string, namespace = 'shop') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web${namespace ? `, namespace: ${namespace}` : ''}}
spec:
  template:
    spec:
${podFields}
      containers:
      - {name: app, image: app:1.2.3}
`;

test('pod false wins over a ServiceAccount that mounts', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: true
---${deployment('      serviceAccountName: web\n      automountServiceAccountToken: false')}`);
  assert.deepEqual(v, []);
});

test('pod unset and its ServiceAccount false: not mounted', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: false
---${deployment('      serviceAccountName: web')}`);
  assert.deepEqual(v, []);
});

test('pod true wins over a ServiceAccount that disables it', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: false
---${deployment('      serviceAccountName: web\n      automountServiceAccountToken: true')}`);
  assert.deepEqual(paths(v), ['spec.template.spec.automountServiceAccountToken']);
  assert.match(v[0]!.message, /sets automountServiceAccountToken: true/);
  assert.deepEqual(v[0]!.fix, [{ op: 'replace', path: '/spec/template/spec/automountServiceAccountToken', value: false }]);
});

test('unset on both: mounted, naming the ServiceAccount', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---${deployment('      serviceAccountName: web')}`);
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /ServiceAccount shop\/web does not set it either, so the token is mounted/);
});

test('the default ServiceAccount is used when serviceAccountName is unset', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: false
---${deployment('      hostname: web')}`);
  assert.deepEqual(v, []);
});

test('a ServiceAccount in another namespace does not count; the finding says it is not in the input', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: other}
automountServiceAccountToken: false
---${deployment('      serviceAccountName: web')}`);
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /ServiceAccount "web" is not in the input; the token is mounted unless that ServiceAccount sets automountServiceAccountToken: false/);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: false }]);
});

test('objects without a namespace match a ServiceAccount without one', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
automountServiceAccountToken: false
---${deployment('      serviceAccountName: web', '')}`);
  assert.deepEqual(v, []);
});

test('the deprecated serviceAccount field names the account when serviceAccountName is unset', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: legacy, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  serviceAccount: legacy
  containers:
  - {name: app, image: app:1.2.3}
`);
  assert.deepEqual(v, []);
});

test('a mirror pod (a static pod seen through the API) gets no token and is not reported; the same Pod without the annotation is', () => {
  const pod = (annotations: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver-cp-1
  namespace: kube-system
${annotations}spec:
  nodeName: cp-1
  containers:
  - {name: kube-apiserver, image: registry.k8s.io/kube-apiserver:v1.31.4}
`;
  assert.deepEqual(runCheck(check, pod('  annotations: {kubernetes.io/config.mirror: 5b0c6e4b2c}\n')), []);
  assert.deepEqual(paths(runCheck(check, pod(''))), ['spec.automountServiceAccountToken']);
  // A workload carrying the annotation on its pod template is no mirror pod: only Pods are.
  assert.deepEqual(paths(runCheck(check, deployment('      serviceAccountName: web').replace('metadata: {name: web, namespace: shop}', 'metadata: {name: web, namespace: shop, annotations: {kubernetes.io/config.mirror: x}}'))), ['spec.template.spec.automountServiceAccountToken']);
});
