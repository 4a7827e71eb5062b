import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podAppArmorNotUnconfined as check } from '../../../src/checks/pod-security/pod-apparmor-not-unconfined.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, pod } from './manifests.js';

test('passes for RuntimeDefault and Localhost fields and allowed annotation values (empty included)', () => {
  assert.deepEqual(runCheck(check, pod(`{securityContext: {appArmorProfile: {type: RuntimeDefault}},
    containers: [{name: a, image: a, securityContext: {appArmorProfile: {type: Localhost, localhostProfile: p}}}]}`,
    `annotations: {container.apparmor.security.beta.kubernetes.io/a: runtime/default,
      container.apparmor.security.beta.kubernetes.io/b: localhost/custom, container.apparmor.security.beta.kubernetes.io/c: ""}`)), []);
});

test('fails for Unconfined fields at the pod and container level', () => {
  const v = runCheck(check, pod(`{securityContext: {appArmorProfile: {type: Unconfined}},
    containers: [{name: a, image: a, securityContext: {appArmorProfile: {type: Unconfined}}}]}`));
  assert.deepEqual(paths(v), ['spec.securityContext.appArmorProfile.type', 'spec.containers[0].securityContext.appArmorProfile.type']);
  assert.match(v[1]!.message, /container "a" sets appArmorProfile\.type to "Unconfined"; use RuntimeDefault or Localhost/);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/securityContext/appArmorProfile/type', value: 'RuntimeDefault' }]);
});

test('fails for an unconfined annotation on the pod template, not the controller', () => {
  const v = runCheck(check, deployment('{containers: [{name: a, image: a}]}',
    '{annotations: {container.apparmor.security.beta.kubernetes.io/a: unconfined}}'));
  assert.deepEqual(paths(v), ['spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/a"]']);
  assert.match(v[0]!.message, /is "unconfined"; use runtime\/default or localhost\/<profile>/);
});

test('ignores the same annotation on the controller\'s own metadata', () => {
  assert.deepEqual(runCheck(check, deployment('{containers: [{name: a, image: a}]}', '{}',
    '{name: d, annotations: {container.apparmor.security.beta.kubernetes.io/a: unconfined}}')), []);
});

test('values are case-sensitive: "Runtime/Default" is not allowed', () => {
  const v = runCheck(check, pod('{containers: [{name: a, image: a}]}',
    'annotations: {container.apparmor.security.beta.kubernetes.io/a: Runtime/Default}'));
  assert.equal(v.length, 1);
});

test('checks the fields at every policy version (single v1.0 implementation)', () => {
  const v = runCheck(check, pod('{securityContext: {appArmorProfile: {type: Unconfined}}, containers: [{name: a, image: a}]}'), { pssVersion: 'v1.0' });
  assert.equal(v.length, 1);
});
