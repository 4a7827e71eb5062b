import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerDisallowsPrivilegeEscalation as check } from '../../../src/checks/pod-security/container-disallows-privilege-escalation.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

const UNSET = pod('{containers: [{name: a, image: a}]}');

test('passes when every container sets allowPrivilegeEscalation: false', () => {
  assert.deepEqual(runCheck(check, pod(`{initContainers: [{name: i, image: i, securityContext: {allowPrivilegeEscalation: false}}],
    containers: [{name: a, image: a, securityContext: {allowPrivilegeEscalation: false}}]}`)), []);
});

test('fails when unset or true, in every kind of container', () => {
  const v = runCheck(check, pod(`{initContainers: [{name: i, image: i}],
    containers: [{name: a, image: a, securityContext: {allowPrivilegeEscalation: true}}],
    ephemeralContainers: [{name: dbg, image: d, securityContext: {}}]}`));
  assert.deepEqual(paths(v), [
    'spec.initContainers[0].securityContext.allowPrivilegeEscalation',
    'spec.containers[0].securityContext.allowPrivilegeEscalation',
    'spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation',
  ]);
  assert.match(v[0]!.message, /init container "i" does not set securityContext\.allowPrivilegeEscalation: false/);
  assert.match(v[1]!.message, /container "a" sets allowPrivilegeEscalation: true; set it to false/);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/initContainers/0/securityContext', value: { allowPrivilegeEscalation: false } }]);
  assert.deepEqual(v[2]!.fix, [{ op: 'add', path: '/spec/ephemeralContainers/0/securityContext/allowPrivilegeEscalation', value: false }]);
});

test('Windows pods are exempt from policy v1.25, not before', () => {
  const windows = pod('{os: {name: windows}, containers: [{name: a, image: a}]}');
  assert.deepEqual(runCheck(check, windows), []);
  assert.deepEqual(runCheck(check, windows, { pssVersion: 'v1.25' }), []);
  assert.equal(runCheck(check, windows, { pssVersion: 'v1.24' }).length, 1);
  assert.equal(runCheck(check, pod('{os: {name: linux}, containers: [{name: a, image: a}]}')).length, 1);
});

test('does not apply below policy v1.8', () => {
  assert.deepEqual(runCheck(check, UNSET, { pssVersion: 'v1.7' }), []);
  assert.equal(runCheck(check, UNSET, { pssVersion: 'v1.8' }).length, 1);
});
