import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podNoHostNamespaces as check } from '../../../src/checks/pod-security/pod-no-host-namespaces.js';
import { paths, runCheck } from '../../helpers.js';
import { cronJob, pod } from './manifests.js';

test('passes when host namespaces are unset or false', () => {
  assert.deepEqual(runCheck(check, pod('{hostNetwork: false, hostPID: false, containers: [{name: a, image: a}]}')), []);
});

test('fails once per host namespace set to true, at the template path', () => {
  const v = runCheck(check, cronJob('{hostNetwork: true, hostPID: true, hostIPC: true, containers: [{name: a, image: a}]}'));
  assert.deepEqual(paths(v), [
    'spec.jobTemplate.spec.template.spec.hostNetwork',
    'spec.jobTemplate.spec.template.spec.hostPID',
    'spec.jobTemplate.spec.template.spec.hostIPC',
  ]);
  assert.match(v[1]!.message, /sets hostPID: true/);
  assert.deepEqual(v[2]!.fix, [{ op: 'add', path: '/spec/jobTemplate/spec/template/spec/hostIPC', value: false }]);
});

test('YAML 1.1 "on" is true, as Kubernetes reads it', () => {
  assert.deepEqual(paths(runCheck(check, pod('{hostIPC: on, containers: [{name: a, image: a}]}'))), ['spec.hostIPC']);
});
