import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerAddsOnlyBaselineCapabilities as check } from '../../../src/checks/pod-security/container-adds-only-baseline-capabilities.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

test('passes for the default capabilities, an empty add list, and any drop list', () => {
  assert.deepEqual(runCheck(check, pod(`{containers: [
    {name: a, image: a, securityContext: {capabilities: {add: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD,
      NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]}}},
    {name: b, image: b, securityContext: {capabilities: {add: [], drop: [NET_RAW]}}}]}`)), []);
});

test('fails for each capability outside the default set, one violation per entry', () => {
  const v = runCheck(check, pod(`{initContainers: [{name: init, image: i, securityContext: {capabilities: {add: [NET_ADMIN]}}}],
    containers: [{name: a, image: a, securityContext: {capabilities: {add: [CHOWN, SYS_ADMIN, NET_RAW]}}}]}`));
  assert.deepEqual(paths(v), [
    'spec.initContainers[0].securityContext.capabilities.add[0]',
    'spec.containers[0].securityContext.capabilities.add[1]',
    'spec.containers[0].securityContext.capabilities.add[2]',
  ]);
  assert.match(v[1]!.message, /container "a" adds capability "SYS_ADMIN"/);
});

test('names are case-sensitive and take no CAP_ prefix, as the API stores them', () => {
  const v = runCheck(check, pod(`{containers: [{name: a, image: a, securityContext: {capabilities: {add: [chown, CAP_CHOWN, ALL]}}}]}`));
  assert.deepEqual(paths(v), [
    'spec.containers[0].securityContext.capabilities.add[0]',
    'spec.containers[0].securityContext.capabilities.add[1]',
    'spec.containers[0].securityContext.capabilities.add[2]',
  ]);
});

test('is replaced by capabilities_restricted at the restricted level', () => {
  assert.deepEqual(check.pss, { level: 'baseline', check: 'capabilities_baseline', overriddenBy: 'capabilities_restricted' });
});
