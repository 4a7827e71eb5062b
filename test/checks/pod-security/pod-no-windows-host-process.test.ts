import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podNoWindowsHostProcess as check } from '../../../src/checks/pod-security/pod-no-windows-host-process.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, pod } from './manifests.js';

test('passes when hostProcess is unset or false', () => {
  assert.deepEqual(runCheck(check, pod(`{os: {name: windows}, securityContext: {windowsOptions: {hostProcess: false}},
    containers: [{name: a, image: a, securityContext: {windowsOptions: {runAsUserName: app}}}]}`)), []);
});

test('fails at the pod level and for each container that sets hostProcess: true', () => {
  const v = runCheck(check, deployment(`{hostNetwork: true, securityContext: {windowsOptions: {hostProcess: true}},
    initContainers: [{name: init, image: i, securityContext: {windowsOptions: {hostProcess: true}}}],
    containers: [{name: a, image: a, securityContext: {windowsOptions: {hostProcess: false}}}]}`));
  assert.deepEqual(paths(v), [
    'spec.template.spec.securityContext.windowsOptions.hostProcess',
    'spec.template.spec.initContainers[0].securityContext.windowsOptions.hostProcess',
  ]);
  assert.match(v[0]!.message, /the pod sets securityContext\.windowsOptions\.hostProcess: true/);
  assert.match(v[1]!.message, /init container "init"/);
  assert.deepEqual(v[1]!.fix, [{ op: 'add', path: '/spec/template/spec/initContainers/0/securityContext/windowsOptions/hostProcess', value: false }]);
});

test('an ephemeral container with hostProcess: true fails the Pod', () => {
  const v = runCheck(check, pod(`{containers: [{name: a, image: a}],
    ephemeralContainers: [{name: dbg, image: d, securityContext: {windowsOptions: {hostProcess: true}}}]}`));
  assert.deepEqual(paths(v), ['spec.ephemeralContainers[0].securityContext.windowsOptions.hostProcess']);
});
