import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultServiceAccountTokenNotAutomounted as check } from '../../../src/checks/workload/default-service-account-token-not-automounted.js';
import { contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';

test('passes when every default ServiceAccount disables automount; other accounts are ignored', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
`);
  assert.deepEqual(v, []);
});

test('fails for a default ServiceAccount that is unset or true', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: blog}
automountServiceAccountToken: true
`);
  assert.deepEqual(paths(v), ['automountServiceAccountToken', 'automountServiceAccountToken']);
  assert.match(v[0]!.message, /ServiceAccount shop\/default does not set automountServiceAccountToken/);
  assert.match(v[1]!.message, /ServiceAccount blog\/default sets automountServiceAccountToken: true/);
  assert.equal(v[1]!.object?.namespace, 'blog');
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/automountServiceAccountToken', value: false }]);
});

test('skips with a reason when the input has no default ServiceAccount', () => {
  const inventory = inventoryFromYaml('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n');
  const outcome = check.evaluate(inventory, contextFor(inventory));
  assert.deepEqual(outcome, { skip: 'the input has no ServiceAccount named "default"' });
});
