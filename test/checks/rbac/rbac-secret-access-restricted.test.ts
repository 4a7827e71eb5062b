import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacSecretAccessRestricted as check } from '../../../src/checks/rbac/rbac-secret-access-restricted.js';
import { paths, runCheck } from '../../helpers.js';
import { binding, clusterBinding, clusterRole, role } from './fixtures.js';

test('reading only named Secrets passes', () => {
  const yaml = role('app', 'tls', '[{apiGroups: [""], resources: [secrets], resourceNames: [app-tls], verbs: [get]}]') + binding('app', 'tls', 'Role', 'tls', '[{kind: ServiceAccount, name: web}]');
  assert.deepEqual(runCheck(check, yaml), []);
});

test('list on secrets through a RoleBinding fails for each subject', () => {
  const yaml = role('app', 'reader', '[{apiGroups: [""], resources: [secrets, configmaps], verbs: [list]}]') +
    binding('app', 'reader', 'Role', 'reader', '[{kind: ServiceAccount, name: web}, {kind: User, name: bob}]');
  const v = runCheck(check, yaml);
  assert.deepEqual(paths(v), ['subjects[0]', 'subjects[1]']);
  assert.match(v[0]!.message, /ServiceAccount app\/web can read every Secret in namespace app through Role reader rules\[0\]/);
});

test('the default edit role (aggregated) grants Secret read, cluster-wide through a ClusterRoleBinding', () => {
  const v = runCheck(check, clusterBinding('devs-edit', 'edit', '[{kind: Group, name: devs}]'));
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /Group devs can read every Secret cluster-wide through ClusterRole system:aggregate-to-edit rules\[0\]/);
});

test('wildcard resources count as secrets; other groups do not', () => {
  const yaml = clusterRole('any', '[{apiGroups: [""], resources: ["*"], verbs: [get]}]') + clusterRole('apps', '[{apiGroups: [apps], resources: ["*"], verbs: [get]}]') +
    clusterBinding('a', 'any', '[{kind: User, name: a}]') + clusterBinding('b', 'apps', '[{kind: User, name: b}]');
  assert.deepEqual(runCheck(check, yaml).map((x) => x.message.split(' ')[1]), ['a']);
});

test('a binding to cluster-admin is left to rbac-cluster-admin-bound-only-where-needed', () => {
  assert.deepEqual(runCheck(check, clusterBinding('x', 'cluster-admin', '[{kind: Group, name: devs}]')), []);
});
