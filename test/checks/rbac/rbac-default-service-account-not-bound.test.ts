import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacDefaultServiceAccountNotBound as check } from '../../../src/checks/rbac/rbac-default-service-account-not-bound.js';
import { paths, runCheck } from '../../helpers.js';
import { binding } from './fixtures.js';

test('a dedicated service account passes', () => {
  assert.deepEqual(runCheck(check, binding('shop', 'b', 'ClusterRole', 'view', '[{kind: ServiceAccount, name: api}]')), []);
});

test('the default service account fails, also when written as a user name or from another namespace', () => {
  const v = runCheck(
    check,
    binding('shop', 'b', 'ClusterRole', 'view', '[{kind: ServiceAccount, name: default}, {kind: User, name: "system:serviceaccount:ops:default"}, {kind: ServiceAccount, name: api}]'),
  );
  assert.deepEqual(paths(v), ['subjects[0]', 'subjects[1]']);
  assert.match(v[0]!.message, /ServiceAccount shop\/default/);
});
