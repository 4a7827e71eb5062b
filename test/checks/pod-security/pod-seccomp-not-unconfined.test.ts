import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podSeccompNotUnconfined as check } from '../../../src/checks/pod-security/pod-seccomp-not-unconfined.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, pod } from './manifests.js';

test('passes for unset, RuntimeDefault and Localhost profiles', () => {
  assert.deepEqual(runCheck(check, pod(`{securityContext: {seccompProfile: {type: RuntimeDefault}},
    containers: [{name: a, image: a, securityContext: {seccompProfile: {type: Localhost, localhostProfile: p.json}}}, {name: b, image: b}]}`)), []);
});

test('fails for each pod or container profile that is Unconfined', () => {
  const v = runCheck(check, deployment(`{securityContext: {seccompProfile: {type: Unconfined}},
    initContainers: [{name: i, image: i, securityContext: {seccompProfile: {type: Unconfined}}}],
    containers: [{name: a, image: a}]}`));
  assert.deepEqual(paths(v), [
    'spec.template.spec.securityContext.seccompProfile.type',
    'spec.template.spec.initContainers[0].securityContext.seccompProfile.type',
  ]);
  assert.match(v[0]!.message, /the pod sets seccompProfile\.type to "Unconfined"; use RuntimeDefault or Localhost/);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/spec/template/spec/securityContext/seccompProfile/type', value: 'RuntimeDefault' }]);
});

test('from v1.19 the alpha annotations are no longer looked at', () => {
  assert.deepEqual(runCheck(check, pod('{containers: [{name: a, image: a}]}', 'annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}')), []);
});

test('below v1.19 only the annotations count: the pod one and one per container name', () => {
  const manifest = deployment(
    '{securityContext: {seccompProfile: {type: Unconfined}}, containers: [{name: a, image: a}, {name: b, image: b}]}',
    `{annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined,
      container.seccomp.security.alpha.kubernetes.io/a: docker/default,
      container.seccomp.security.alpha.kubernetes.io/b: "",
      container.seccomp.security.alpha.kubernetes.io/other: unconfined}}`,
  );
  const v = runCheck(check, manifest, { pssVersion: 'v1.18' });
  assert.deepEqual(paths(v), [
    'spec.template.metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]',
    'spec.template.metadata.annotations["container.seccomp.security.alpha.kubernetes.io/b"]',
  ]);
  assert.match(v[1]!.message, /is ""; use runtime\/default or localhost\/<profile>/);
});
