import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podSeccompProfileSet as check } from '../../../src/checks/pod-security/pod-seccomp-profile-set.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, pod } from './manifests.js';

test('passes with a pod-level RuntimeDefault inherited by every container', () => {
  assert.deepEqual(runCheck(check, pod(`{securityContext: {seccompProfile: {type: RuntimeDefault}},
    initContainers: [{name: i, image: i}], containers: [{name: a, image: a}]}`)), []);
});

test('passes when every container sets a valid profile itself', () => {
  assert.deepEqual(runCheck(check, pod(`{containers: [{name: a, image: a, securityContext: {seccompProfile: {type: RuntimeDefault}}},
    {name: b, image: b, securityContext: {seccompProfile: {type: Localhost, localhostProfile: p.json}}}]}`)), []);
});

test('fails for each container with no profile anywhere, with the pod-level fix', () => {
  const v = runCheck(check, deployment(`{containers: [{name: a, image: a}, {name: b, image: b, securityContext: {seccompProfile: {type: RuntimeDefault}}}]}`));
  assert.deepEqual(paths(v), ['spec.template.spec.containers[0].securityContext.seccompProfile.type']);
  assert.match(v[0]!.message, /neither container "a" nor the pod sets a seccomp profile/);
  assert.match(v[0]!.remediation!, /at the pod level/);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/template/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } }]);
});

test('a container Unconfined overrides a valid pod profile and fails', () => {
  const v = runCheck(check, pod(`{securityContext: {seccompProfile: {type: RuntimeDefault}},
    containers: [{name: a, image: a, securityContext: {seccompProfile: {type: Unconfined}}}]}`));
  assert.deepEqual(paths(v), ['spec.containers[0].securityContext.seccompProfile.type']);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/containers/0/securityContext/seccompProfile/type', value: 'RuntimeDefault' }]);
});

test('a pod-level Unconfined fails even when every container sets a valid profile', () => {
  const v = runCheck(check, pod(`{securityContext: {seccompProfile: {type: Unconfined}},
    containers: [{name: a, image: a, securityContext: {seccompProfile: {type: RuntimeDefault}}}, {name: b, image: b}]}`));
  assert.deepEqual(paths(v), ['spec.securityContext.seccompProfile.type']);
});

test('Windows pods are exempt from policy v1.25, not before', () => {
  const windows = pod('{os: {name: windows}, containers: [{name: a, image: a}]}');
  assert.deepEqual(runCheck(check, windows), []);
  assert.deepEqual(runCheck(check, windows, { pssVersion: 'v1.25' }), []);
  assert.equal(runCheck(check, windows, { pssVersion: 'v1.24' }).length, 1);
});

test('below v1.19 it applies the baseline annotation rule instead (the library\'s restricted set at those versions)', () => {
  const unset = pod('{containers: [{name: a, image: a}]}');
  assert.deepEqual(runCheck(check, unset, { pssVersion: 'v1.18' }), []);
  const annotated = pod('{containers: [{name: a, image: a}]}', 'annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}');
  assert.deepEqual(paths(runCheck(check, annotated, { pssVersion: 'v1.18' })), ['metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]']);
});
