import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerNotPrivileged as check } from '../../../src/checks/pod-security/container-not-privileged.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, pod } from './manifests.js';

test('passes when privileged is unset or false', () => {
  assert.deepEqual(runCheck(check, pod(`{containers: [{name: a, image: a},
    {name: b, image: b, securityContext: {privileged: false}}]}`)), []);
});

test('fails for each privileged container, init containers included', () => {
  const v = runCheck(check, deployment(`{initContainers: [{name: init, image: i, securityContext: {privileged: true}}],
    containers: [{name: a, image: a}, {name: b, image: b, securityContext: {privileged: true}}]}`));
  assert.deepEqual(paths(v), [
    'spec.template.spec.initContainers[0].securityContext.privileged',
    'spec.template.spec.containers[1].securityContext.privileged',
  ]);
  assert.match(v[1]!.message, /container "b" sets securityContext\.privileged: true/);
  assert.deepEqual(v[1]!.fix, [{ op: 'add', path: '/spec/template/spec/containers/1/securityContext/privileged', value: false }]);
});

test('a privileged ephemeral container fails the Pod', () => {
  const v = runCheck(check, pod(`{containers: [{name: a, image: a}],
    ephemeralContainers: [{name: dbg, image: d, securityContext: {privileged: true}}]}`));
  assert.deepEqual(paths(v), ['spec.ephemeralContainers[0].securityContext.privileged']);
});
