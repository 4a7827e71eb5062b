import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacPodCreationRestricted as check } from '../../../src/checks/rbac/rbac-pod-creation-restricted.js';
import { paths, runCheck } from '../../helpers.js';
import { binding, clusterBinding, clusterRole } from './fixtures.js';

const deployer = clusterRole('deployer', '[{apiGroups: [apps], resources: [deployments], verbs: [create, patch]}]');

test('a RoleBinding to a named service account passes', () => {
  assert.deepEqual(runCheck(check, deployer + binding('ci', 'd', 'ClusterRole', 'deployer', '[{kind: ServiceAccount, name: deployer}]')), []);
});

test('a ClusterRoleBinding granting workload creation fails for each subject', () => {
  const v = runCheck(check, deployer + clusterBinding('d', 'deployer', '[{kind: User, name: ci-bot}]'));
  assert.deepEqual(paths(v), ['subjects[0]']);
  assert.match(v[0]!.message, /User ci-bot can create pods in every namespace, kube-system included \(ClusterRole deployer rules\[0\]: deployments\)/);
});

test('a RoleBinding of edit to every service account of a namespace fails; a named one in the same binding does not', () => {
  const v = runCheck(check, binding('ci', 'all', 'ClusterRole', 'edit', '[{kind: User, name: ann}, {kind: Group, name: "system:serviceaccounts:ci"}]'));
  assert.deepEqual(paths(v), ['subjects[1]']);
});

test('a role without pod creation passes even cluster-wide', () => {
  assert.deepEqual(runCheck(check, clusterBinding('v', 'view', '[{kind: Group, name: "system:authenticated"}]')), []);
});

test('a binding to cluster-admin is left to rbac-cluster-admin-bound-only-where-needed', () => {
  assert.deepEqual(runCheck(check, clusterBinding('x', 'cluster-admin', '[{kind: Group, name: devs}]')), []);
});
