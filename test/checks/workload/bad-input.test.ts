// Every check of this area on objects whose fields have the wrong types: no exception escapes,
// and nothing wrongly typed counts as hardened.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workloadChecks } from '../../../src/checks/workload/index.js';
import { contextFor, inventoryFromYaml } from '../../helpers.js';

const ODD_INPUT = `
apiVersion: v1
kind: Namespace
metadata: {name: odd, labels: {pod-security.kubernetes.io/enforce: 3}}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: odd}
spec:
  automountServiceAccountToken: null
  runtimeClassName: ""
  securityContext: {supplementalGroups: [root, null]}
  containers:
  - name: app
    image: "app:1.0"
    env: [DB_PASSWORD, {name: 42, value: [1]}, {name: TOKEN, valueFrom: "secret"}, null]
    envFrom: [null, {secretRef: "db"}]
    resources: {limits: "lots", requests: [1]}
    securityContext: {capabilities: {add: [7, null], drop: [{all: true}]}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: odd}
automountServiceAccountToken: "no"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ingress-nginx-controller, namespace: odd}
data: [allow-snippet-annotations]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: odd}
data: {password: {nested: true}}
---
apiVersion: v1
kind: LimitRange
metadata: {name: l, namespace: odd}
spec: {limits: "none"}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: odd}
spec: {hard: [cpu]}
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: rc}
handler: 5
`;

test('no workload check throws on wrongly typed fields', () => {
  const inventory = inventoryFromYaml(ODD_INPUT);
  assert.deepEqual(inventory.problems.filter((p) => p.level === 'error'), []);
  const ctx = contextFor(inventory, { untrusted: [{ namespace: 'odd' }] });
  for (const check of workloadChecks) {
    assert.doesNotThrow(() => {
      if (check.scope === 'pod') for (const pod of inventory.pods) check.evaluate(pod, ctx);
      else if (check.scope === 'object') for (const kind of check.kinds) for (const o of inventory.ofKind(kind)) check.evaluate(o, ctx);
      else check.evaluate(inventory, ctx);
    }, check.id);
  }
});

test('wrongly typed settings do not count as hardened', () => {
  const inventory = inventoryFromYaml(ODD_INPUT);
  const ctx = contextFor(inventory, { untrusted: [{ namespace: 'odd' }] });
  const failing = workloadChecks.filter((check) => {
    if (check.scope === 'pod') return inventory.pods.some((pod) => check.evaluate(pod, ctx).length > 0);
    if (check.scope === 'object') return check.kinds.some((k) => inventory.ofKind(k).some((o) => check.evaluate(o, ctx).length > 0));
    const outcome = check.evaluate(inventory, ctx);
    return 'violations' in outcome && outcome.violations.length > 0;
  });
  const ids = failing.map((c) => c.id);
  for (const id of [
    'container-resource-limits-set',
    'pod-service-account-token-not-automounted',
    'default-service-account-token-not-automounted',
    'container-drops-net-raw',
    'untrusted-workload-sandboxed',
    'namespace-enforces-pod-security',
    'ingress-nginx-snippets-disabled',
  ]) {
    assert.ok(ids.includes(id), `${id} should fail on the odd input`);
  }
});
