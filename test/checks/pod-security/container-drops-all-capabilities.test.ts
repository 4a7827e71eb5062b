import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerDropsAllCapabilities as check } from '../../../src/checks/pod-security/container-drops-all-capabilities.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

test('passes when every container drops ALL and adds at most NET_BIND_SERVICE', () => {
  assert.deepEqual(runCheck(check, pod(`{initContainers: [{name: i, image: i, securityContext: {capabilities: {drop: [ALL]}}}],
    containers: [{name: a, image: a, securityContext: {capabilities: {drop: [NET_RAW, ALL], add: [NET_BIND_SERVICE]}}}]}`)), []);
});

test('fails when drop lacks ALL, with a fix that creates or extends the list', () => {
  const v = runCheck(check, pod(`{containers: [{name: a, image: a}, {name: b, image: b, securityContext: {capabilities: {drop: [NET_RAW]}}}]}`));
  assert.deepEqual(paths(v), ['spec.containers[0].securityContext.capabilities.drop', 'spec.containers[1].securityContext.capabilities.drop']);
  assert.match(v[0]!.message, /container "a" does not set securityContext\.capabilities\.drop: \["ALL"\]/);
  assert.match(v[1]!.message, /drops "NET_RAW" but not "ALL"/);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/containers/0/securityContext', value: { capabilities: { drop: ['ALL'] } } }]);
  assert.deepEqual(v[1]!.fix, [{ op: 'add', path: '/spec/containers/1/securityContext/capabilities/drop/-', value: 'ALL' }]);
});

test('"all" in lower case does not count as ALL', () => {
  const v = runCheck(check, pod('{containers: [{name: a, image: a, securityContext: {capabilities: {drop: [all]}}}]}'));
  assert.deepEqual(paths(v), ['spec.containers[0].securityContext.capabilities.drop']);
});

test('fails for each added capability other than NET_BIND_SERVICE, even baseline ones', () => {
  const v = runCheck(check, pod(`{containers: [{name: a, image: a, securityContext: {capabilities: {drop: [ALL], add: [NET_BIND_SERVICE, CHOWN, SYS_ADMIN]}}}]}`));
  assert.deepEqual(paths(v), ['spec.containers[0].securityContext.capabilities.add[1]', 'spec.containers[0].securityContext.capabilities.add[2]']);
  assert.match(v[1]!.message, /adds capability "SYS_ADMIN"; restricted allows adding only NET_BIND_SERVICE/);
});

test('Windows pods are exempt from policy v1.25, not before', () => {
  const windows = pod('{os: {name: windows}, containers: [{name: a, image: a}]}');
  assert.deepEqual(runCheck(check, windows), []);
  assert.deepEqual(runCheck(check, windows, { pssVersion: 'v1.25' }), []);
  assert.equal(runCheck(check, windows, { pssVersion: 'v1.24' }).length, 1);
});

test('below v1.22 it applies the baseline capability rule instead (the library\'s restricted set at those versions)', () => {
  const noDrop = pod('{containers: [{name: a, image: a, securityContext: {capabilities: {add: [CHOWN]}}}]}');
  assert.deepEqual(runCheck(check, noDrop, { pssVersion: 'v1.21' }), []);
  const sysAdmin = pod('{containers: [{name: a, image: a, securityContext: {capabilities: {add: [SYS_ADMIN]}}}]}');
  assert.deepEqual(paths(runCheck(check, sysAdmin, { pssVersion: 'v1.21' })), ['spec.containers[0].securityContext.capabilities.add[0]']);
});
