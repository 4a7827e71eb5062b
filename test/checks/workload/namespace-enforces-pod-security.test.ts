import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceEnforcesPodSecurity as check } from '../../../src/checks/admission/namespace-enforces-pod-security.js';
import { paths, runCheck } from '../../helpers.js';

test('passes for baseline and restricted, and leaves the system namespaces out', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: restricted, pod-security.kubernetes.io/enforce-version: v1.33}
---
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
  labels: {pod-security.kubernetes.io/enforce: baseline}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
`);
  assert.deepEqual(v, []);
});

test('fails for a missing label, privileged, an invalid level, and warn-only labels', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Namespace
metadata: {name: bare}
---
apiVersion: v1
kind: Namespace
metadata:
  name: open
  labels: {pod-security.kubernetes.io/enforce: privileged}
---
apiVersion: v1
kind: Namespace
metadata:
  name: typo
  labels: {pod-security.kubernetes.io/enforce: Restricted}
---
apiVersion: v1
kind: Namespace
metadata:
  name: warned
  labels: {pod-security.kubernetes.io/warn: restricted}
`);
  assert.deepEqual(paths(v), [
    'metadata',
    'metadata.labels["pod-security.kubernetes.io/enforce"]',
    'metadata.labels["pod-security.kubernetes.io/enforce"]',
    'metadata.labels["pod-security.kubernetes.io/enforce"]',
  ]);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/metadata/labels', value: { 'pod-security.kubernetes.io/enforce': 'baseline' } }]);
  assert.deepEqual(v[1]!.fix, [{ op: 'add', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', value: 'baseline' }]);
  assert.match(v[1]!.message, /enforces the privileged level/);
  assert.match(v[2]!.message, /"Restricted", which is not a Pod Security level/);
  assert.match(v[3]!.message, /has no pod-security.kubernetes.io\/enforce label/);
});
