import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerRunAsUserNotRoot as check } from '../../../src/checks/pod-security/container-run-as-user-not-root.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

const ROOT_AT_POD = pod('{securityContext: {runAsUser: 0}, containers: [{name: a, image: a, securityContext: {runAsUser: 1000}}]}');

test('passes for unset and non-zero values', () => {
  assert.deepEqual(runCheck(check, pod(`{securityContext: {runAsUser: 1000},
    containers: [{name: a, image: a}, {name: b, image: b, securityContext: {runAsUser: 65534}}]}`)), []);
});

test('fails for every explicit 0, even at the pod level when containers override it', () => {
  const v = runCheck(check, ROOT_AT_POD);
  assert.deepEqual(paths(v), ['spec.securityContext.runAsUser']);
  assert.match(v[0]!.message, /the pod sets securityContext\.runAsUser: 0 \(root\)/);
  const c = runCheck(check, pod('{initContainers: [{name: i, image: i, securityContext: {runAsUser: 0}}], containers: [{name: a, image: a}]}'));
  assert.deepEqual(paths(c), ['spec.initContainers[0].securityContext.runAsUser']);
});

test('does not apply below policy v1.23', () => {
  assert.deepEqual(runCheck(check, ROOT_AT_POD, { pssVersion: 'v1.22' }), []);
  assert.equal(runCheck(check, ROOT_AT_POD, { pssVersion: 'v1.23' }).length, 1);
});

test('hostUsers: false exempts the pod from policy v1.35, not before', () => {
  const userns = pod('{hostUsers: false, securityContext: {runAsUser: 0}, containers: [{name: a, image: a}]}');
  assert.deepEqual(runCheck(check, userns), []);
  assert.deepEqual(runCheck(check, userns, { pssVersion: 'v1.35' }), []);
  assert.equal(runCheck(check, userns, { pssVersion: 'v1.34' }).length, 1);
});
