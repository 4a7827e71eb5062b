import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerDefaultProcMount as check } from '../../../src/checks/pod-security/container-default-proc-mount.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

const UNMASKED = (hostUsers: string) =>
  pod(`{hostUsers: ${hostUsers}, initContainers: [{name: i, image: i, securityContext: {procMount: Unmasked}}],
    containers: [{name: a, image: a, securityContext: {procMount: Default}}]}`);

test('passes for unset or Default', () => {
  assert.deepEqual(runCheck(check, pod('{containers: [{name: a, image: a, securityContext: {procMount: Default}}, {name: b, image: b}]}')), []);
});

test('fails for Unmasked when the pod uses host users', () => {
  const v = runCheck(check, UNMASKED('true'));
  assert.deepEqual(paths(v), ['spec.initContainers[0].securityContext.procMount']);
  assert.match(v[0]!.message, /init container "i" sets securityContext\.procMount to "Unmasked"/);
  assert.deepEqual(v[0]!.fix, [{ op: 'remove', path: '/spec/initContainers/0/securityContext/procMount' }]);
});

test('hostUsers: false allows any procMount from policy v1.35, but not before', () => {
  assert.deepEqual(runCheck(check, UNMASKED('false')), []);
  assert.deepEqual(runCheck(check, UNMASKED('false'), { pssVersion: 'v1.35' }), []);
  assert.equal(runCheck(check, UNMASKED('false'), { pssVersion: 'v1.34' }).length, 1);
});

test('an unset hostUsers is not a user namespace', () => {
  const v = runCheck(check, pod('{containers: [{name: a, image: a, securityContext: {procMount: Unmasked}}]}'));
  assert.equal(v.length, 1);
});

test('is replaced by procMount_restricted at the restricted level', () => {
  assert.equal(check.pss?.overriddenBy, 'procMount_restricted');
});
