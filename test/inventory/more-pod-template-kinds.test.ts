// Pod templates of widely used kinds beyond the built-ins (OpenShift DeploymentConfig,
// OpenKruise, KEDA ScaledJob), and built-in kinds written with an apiVersion that never served
// them: an input error naming the right apiVersion, not a silent skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryFromYaml, runCheck } from '../helpers.js';
import { containerNotPrivileged } from '../../src/checks/pod-security/container-not-privileged.js';

const PRIVILEGED = '{containers: [{name: app, image: x, securityContext: {privileged: true}}]}';

const KINDS: [string, string, string][] = [
  ['apps.openshift.io/v1', 'DeploymentConfig', `spec: {replicas: 1, template: {spec: ${PRIVILEGED}}}`],
  ['v1', 'DeploymentConfig', `spec: {replicas: 1, template: {spec: ${PRIVILEGED}}}`],
  ['apps.kruise.io/v1alpha1', 'CloneSet', `spec: {template: {spec: ${PRIVILEGED}}}`],
  ['apps.kruise.io/v1beta1', 'StatefulSet', `spec: {template: {spec: ${PRIVILEGED}}}`],
  ['apps.kruise.io/v1alpha1', 'DaemonSet', `spec: {template: {spec: ${PRIVILEGED}}}`],
  ['keda.sh/v1alpha1', 'ScaledJob', `spec: {jobTargetRef: {template: {spec: ${PRIVILEGED}}}}`],
];

for (const [apiVersion, kind, spec] of KINDS) {
  test(`${apiVersion} ${kind}: its pod template is checked`, () => {
    const v = runCheck(containerNotPrivileged, `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: a, namespace: shop}\n${spec}\n`);
    assert.equal(v.length, 1);
    assert.match(v[0]!.message, /privileged/);
  });
}

test('a same-named kind of an unknown group, or an unchecked version, is left alone (not a guess)', () => {
  for (const apiVersion of ['example.com/v1', 'apps.openshift.io/v2', 'apps.kruise.io/v9']) {
    const inv = inventoryFromYaml(`apiVersion: ${apiVersion}\nkind: DeploymentConfig\nmetadata: {name: a}\nspec: {template: {spec: ${PRIVILEGED}}}\n`);
    assert.equal(inv.pods.length, 0, apiVersion);
    assert.deepEqual(inv.problems, [], apiVersion);
  }
});

const IMPOSSIBLE: [string, string, string][] = [
  ['v1', 'Deployment', 'apps/v1'],
  ['batch/v1', 'Deployment', 'apps/v1'],
  ['apps/v1', 'Job', 'batch/v1'],
  ['apps/v1', 'CronJob', 'batch/v1'],
  ['v1', 'StatefulSet', 'apps/v1'],
  ['apps/v1', 'Pod', 'v1'],
  ['networking.k8s.io/v1', 'DaemonSet', 'apps/v1'],
];

for (const [apiVersion, kind, right] of IMPOSSIBLE) {
  test(`${kind} with apiVersion ${apiVersion} is an input error naming ${right}`, () => {
    const inv = inventoryFromYaml(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: web}\nspec: {template: {spec: ${PRIVILEGED}}}\n`);
    assert.equal(inv.problems.length, 1);
    assert.equal(inv.problems[0]!.level, 'error');
    assert.match(inv.problems[0]!.message, new RegExp(`apiVersion ${apiVersion.replace('/', '\\/')} does not serve kind ${kind}.*write apiVersion: ${right.replace('/', '\\/')}`));
  });
}

test('old but real apiVersions of built-in kinds are not errors', () => {
  for (const [apiVersion, kind] of [['extensions/v1beta1', 'Deployment'], ['apps/v1beta2', 'DaemonSet'], ['batch/v1beta1', 'CronJob']]) {
    const inv = inventoryFromYaml(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: a, image: x}]}}}\n`);
    assert.deepEqual(inv.problems, [], `${apiVersion} ${kind}`);
  }
});
