import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podSeLinuxOptionsAllowed as check } from '../../../src/checks/pod-security/pod-selinux-options-allowed.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

test('passes for the container types, empty strings, and any level', () => {
  assert.deepEqual(runCheck(check, pod(`{securityContext: {seLinuxOptions: {type: container_t, level: "s0:c123,c456"}},
    initContainers: [{name: i, image: i, securityContext: {seLinuxOptions: {type: container_init_t, user: "", role: ""}}}],
    containers: [{name: a, image: a, securityContext: {seLinuxOptions: {type: container_kvm_t}}},
      {name: b, image: b, securityContext: {seLinuxOptions: {type: ""}}}]}`)), []);
});

test('fails for a custom type, and for any user or role, per field', () => {
  const v = runCheck(check, pod(`{securityContext: {seLinuxOptions: {type: spc_t}},
    containers: [{name: a, image: a, securityContext: {seLinuxOptions: {user: system_u, role: system_r}}}]}`));
  assert.deepEqual(paths(v), [
    'spec.securityContext.seLinuxOptions.type',
    'spec.containers[0].securityContext.seLinuxOptions.user',
    'spec.containers[0].securityContext.seLinuxOptions.role',
  ]);
  assert.match(v[0]!.message, /the pod sets seLinuxOptions\.type to "spc_t"/);
  assert.deepEqual(v[1]!.fix, [{ op: 'remove', path: '/spec/containers/0/securityContext/seLinuxOptions/user' }]);
});

test('container_engine_t is allowed from policy v1.31, not before', () => {
  const engine = pod('{containers: [{name: a, image: a, securityContext: {seLinuxOptions: {type: container_engine_t}}}]}');
  assert.deepEqual(runCheck(check, engine, { pssVersion: 'v1.31' }), []);
  assert.deepEqual(paths(runCheck(check, engine, { pssVersion: 'v1.30' })), ['spec.containers[0].securityContext.seLinuxOptions.type']);
});
