import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podOnlyRestrictedVolumeTypes as check } from '../../../src/checks/pod-security/pod-only-restricted-volume-types.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, pod } from './manifests.js';

test('passes for every allowed type, image volumes included, and a volume with no source (defaulted to emptyDir)', () => {
  assert.deepEqual(runCheck(check, pod(`{containers: [{name: a, image: a}], volumes: [
    {name: v1, configMap: {name: c}}, {name: v2, csi: {driver: d}}, {name: v3, downwardAPI: {}}, {name: v4, emptyDir: {}},
    {name: v5, ephemeral: {volumeClaimTemplate: {spec: {}}}}, {name: v6, image: {reference: "registry.k8s.io/x:1"}},
    {name: v7, persistentVolumeClaim: {claimName: c}}, {name: v8, projected: {sources: []}}, {name: v9, secret: {secretName: s}},
    {name: v10}]}`)), []);
});

test('fails for hostPath and network/host volume types, at the source field', () => {
  const v = runCheck(check, deployment(`{containers: [{name: a, image: a}], volumes: [
    {name: ok, emptyDir: {}}, {name: host, hostPath: {path: /}}, {name: share, nfs: {server: s, path: /x}},
    {name: disk, gcePersistentDisk: {pdName: p}}]}`));
  assert.deepEqual(paths(v), [
    'spec.template.spec.volumes[1].hostPath',
    'spec.template.spec.volumes[2].nfs',
    'spec.template.spec.volumes[3].gcePersistentDisk',
  ]);
  assert.match(v[1]!.message, /volume "share" is a nfs volume, which restricted does not allow/);
});

test('fails for an unknown volume type', () => {
  const v = runCheck(check, pod('{containers: [{name: a, image: a}], volumes: [{name: x, futureVolume: {}}]}'));
  assert.deepEqual(paths(v), ['spec.volumes[0].futureVolume']);
  assert.match(v[0]!.message, /unknown volume type futureVolume/);
});

test('keeps the severity of the hostPath check it replaces at restricted', () => {
  assert.equal(check.severity, 'high');
});
