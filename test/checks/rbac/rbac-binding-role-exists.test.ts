import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacBindingRoleExists as check } from '../../../src/checks/rbac/rbac-binding-role-exists.js';
import { paths, runCheck } from '../../helpers.js';
import { binding, role } from './fixtures.js';

test('bindings to a scanned Role and to a default ClusterRole pass', () => {
  const yaml = role('a', 'r', '[{apiGroups: [""], resources: [pods], verbs: [get]}]') + binding('a', 'b1', 'Role', 'r', '[]') + binding('a', 'b2', 'ClusterRole', 'view', '[]');
  assert.deepEqual(runCheck(check, yaml), []);
});

test('a Role of another namespace does not count; a missing ClusterRole fails', () => {
  const yaml = role('other', 'r', '[{apiGroups: [""], resources: [pods], verbs: [get]}]') + binding('a', 'b1', 'Role', 'r', '[]') + binding('a', 'b2', 'ClusterRole', 'gone', '[]');
  const v = runCheck(check, yaml);
  assert.deepEqual(paths(v), ['roleRef.name', 'roleRef.name']);
  assert.match(v[0]!.message, /Role a\/r does not exist/);
});
