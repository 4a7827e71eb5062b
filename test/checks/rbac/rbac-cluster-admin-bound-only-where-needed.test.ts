import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacClusterAdminBoundOnlyWhereNeeded as check } from '../../../src/checks/rbac/rbac-cluster-admin-bound-only-where-needed.js';
import { paths, runCheck } from '../../helpers.js';
import { binding, clusterBinding } from './fixtures.js';

test('the default cluster-admin binding to system:masters is not reported', () => {
  assert.deepEqual(runCheck(check, clusterBinding('cluster-admin', 'cluster-admin', '[{kind: Group, name: "system:masters"}]')), []);
});

test('a binding to another role passes', () => {
  assert.deepEqual(runCheck(check, binding('dev', 'devs', 'ClusterRole', 'edit', '[{kind: Group, name: devs}]')), []);
});

test('ClusterRoleBinding and RoleBinding to cluster-admin fail at roleRef.name, naming the subjects', () => {
  const v = runCheck(
    check,
    clusterBinding('ops-admin', 'cluster-admin', '[{kind: Group, name: ops}]') +
      binding('dev', 'dev-admin', 'ClusterRole', 'cluster-admin', '[{kind: ServiceAccount, name: ci}]'),
  );
  assert.deepEqual(paths(v), ['roleRef.name', 'roleRef.name']);
  assert.match(v[0]!.message, /whole cluster\) to Group ops/);
  assert.match(v[1]!.message, /namespace dev\) to ServiceAccount dev\/ci/);
});

test('the default binding changed to add a subject is reported', () => {
  const v = runCheck(check, clusterBinding('cluster-admin', 'cluster-admin', '[{kind: Group, name: "system:masters"}, {kind: User, name: eve}]'));
  assert.equal(v.length, 1);
});
