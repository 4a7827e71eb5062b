import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerDefaultProcMountStrict as check } from '../../../src/checks/pod-security/container-default-proc-mount-strict.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

test('passes for unset or Default', () => {
  assert.deepEqual(runCheck(check, pod('{hostUsers: false, containers: [{name: a, image: a, securityContext: {procMount: Default}}]}')), []);
});

test('fails for Unmasked even in a user namespace (hostUsers: false)', () => {
  const v = runCheck(check, pod(`{hostUsers: false, containers: [{name: a, image: a}],
    ephemeralContainers: [{name: dbg, image: d, securityContext: {procMount: Unmasked}}]}`));
  assert.deepEqual(paths(v), ['spec.ephemeralContainers[0].securityContext.procMount']);
  assert.match(v[0]!.message, /ephemeral container "dbg" sets securityContext\.procMount to "Unmasked"/);
});

test('is strict at older policy versions too, where baseline procMount (strict then) is what it stands in for', () => {
  const v = runCheck(check, pod('{containers: [{name: a, image: a, securityContext: {procMount: Unmasked}}]}'), { pssVersion: 'v1.20' });
  assert.equal(v.length, 1);
});
