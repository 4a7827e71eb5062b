import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerRunsAsNonRoot as check } from '../../../src/checks/pod-security/container-runs-as-non-root.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, pod } from './manifests.js';

test('passes with pod-level true and containers unset', () => {
  assert.deepEqual(runCheck(check, pod(`{securityContext: {runAsNonRoot: true},
    initContainers: [{name: i, image: i}], containers: [{name: a, image: a}]}`)), []);
});

test('passes with every container true and no pod-level value', () => {
  assert.deepEqual(runCheck(check, pod(`{containers: [{name: a, image: a, securityContext: {runAsNonRoot: true}},
    {name: b, image: b, securityContext: {runAsNonRoot: true}}]}`)), []);
});

test('fails for each container that sets nothing when the pod sets nothing; the fix is at the pod level', () => {
  const v = runCheck(check, deployment(`{containers: [{name: a, image: a}, {name: b, image: b, securityContext: {runAsNonRoot: true}}],
    initContainers: [{name: i, image: i}]}`));
  assert.deepEqual(paths(v), [
    'spec.template.spec.initContainers[0].securityContext.runAsNonRoot',
    'spec.template.spec.containers[0].securityContext.runAsNonRoot',
  ]);
  assert.match(v[1]!.message, /neither container "a" nor the pod sets runAsNonRoot: true; set spec\.securityContext\.runAsNonRoot: true/);
  assert.match(v[1]!.remediation!, /spec\.securityContext\.runAsNonRoot: true at the pod level/);
  assert.deepEqual(v[1]!.fix, [{ op: 'add', path: '/spec/template/spec/securityContext', value: { runAsNonRoot: true } }]);
});

test('an explicit false on a container overrides a pod-level true and fails', () => {
  const v = runCheck(check, pod(`{securityContext: {runAsNonRoot: true},
    containers: [{name: a, image: a, securityContext: {runAsNonRoot: false}}, {name: b, image: b}]}`));
  assert.deepEqual(paths(v), ['spec.containers[0].securityContext.runAsNonRoot']);
  assert.match(v[0]!.message, /container "a" sets securityContext\.runAsNonRoot: false/);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/containers/0/securityContext/runAsNonRoot', value: true }]);
});

test('a pod-level false fails even when every container sets true', () => {
  const v = runCheck(check, pod(`{securityContext: {runAsNonRoot: false},
    containers: [{name: a, image: a, securityContext: {runAsNonRoot: true}}, {name: b, image: b}]}`));
  assert.deepEqual(paths(v), ['spec.securityContext.runAsNonRoot']);
});

test('hostUsers: false exempts the pod from policy v1.35, not before', () => {
  const userns = pod('{hostUsers: false, containers: [{name: a, image: a}]}');
  assert.deepEqual(runCheck(check, userns), []);
  assert.deepEqual(runCheck(check, userns, { pssVersion: 'v1.35' }), []);
  assert.equal(runCheck(check, userns, { pssVersion: 'v1.34' }).length, 1);
  assert.equal(runCheck(check, pod('{hostUsers: true, containers: [{name: a, image: a}]}')).length, 1);
});

test('runAsUser does not stand in for runAsNonRoot', () => {
  assert.equal(runCheck(check, pod('{securityContext: {runAsUser: 1000}, containers: [{name: a, image: a}]}')).length, 1);
});
