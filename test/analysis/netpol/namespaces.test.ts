// Namespaces: the automatic name label, and namespaces the input does not declare.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetpolModel } from '../../../src/analysis/netpol/model.js';
import { Evaluator, verdictFor } from '../../../src/analysis/netpol/evaluate.js';
import { inventoryFromYaml } from '../../helpers.js';

const PODS = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: nginx:1.27}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: undeclared, labels: {app: client}}
spec: {containers: [{name: c, image: busybox:1.36}]}
`;

function verdict(fromSelector: string): string {
  const model = new NetpolModel(inventoryFromYaml(PODS + `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: ${fromSelector}}]}]
`));
  const [client] = model.findWorkloads('undeclared/client');
  const [web] = model.findWorkloads('shop/web');
  return verdictFor(new Evaluator(model).connection({ kind: 'workload', workload: client! }, { kind: 'workload', workload: web! }), 'TCP', 80);
}

test('a namespace not declared in the input still carries kubernetes.io/metadata.name', () => {
  assert.equal(verdict('{matchLabels: {kubernetes.io/metadata.name: undeclared}}'), 'allowed');
  assert.equal(verdict('{matchLabels: {kubernetes.io/metadata.name: other}}'), 'denied');
  assert.equal(verdict('{}'), 'allowed');
});

test('its other labels are unknown: selectors on them are uncertain, never a claimed deny', () => {
  assert.equal(verdict('{matchLabels: {team: ops}}'), 'uncertain');
  assert.equal(verdict('{matchExpressions: [{key: team, operator: DoesNotExist}]}'), 'uncertain');
  assert.equal(verdict('{matchLabels: {kubernetes.io/metadata.name: other, team: ops}}'), 'denied');
});

test('a declared namespace gets the name label even when its manifest does not show it', () => {
  const model = new NetpolModel(inventoryFromYaml(PODS));
  assert.deepEqual(model.namespace('shop').labels, { team: 'web', 'kubernetes.io/metadata.name': 'shop' });
});
