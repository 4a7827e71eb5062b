import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podNoHostPathVolumes as check } from '../../../src/checks/pod-security/pod-no-host-path-volumes.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, pod } from './manifests.js';

test('passes for volumes that are not hostPath (baseline allows nfs and the rest)', () => {
  assert.deepEqual(runCheck(check, pod(`{containers: [{name: a, image: a}], volumes: [
    {name: e, emptyDir: {}}, {name: n, nfs: {server: s, path: /x}}, {name: h, hostPath: null}]}`)), []);
});

test('fails for each hostPath volume, naming it and its path', () => {
  const v = runCheck(check, deployment(`{containers: [{name: a, image: a}], volumes: [
    {name: cfg, configMap: {name: c}}, {name: sock, hostPath: {path: /var/run/docker.sock}}]}`));
  assert.deepEqual(paths(v), ['spec.template.spec.volumes[1].hostPath']);
  assert.match(v[0]!.message, /volume "sock" is a hostPath volume \(\/var\/run\/docker\.sock\)/);
});

test('is replaced by restrictedVolumes at the restricted level', () => {
  assert.equal(check.pss?.overriddenBy, 'restrictedVolumes');
});
