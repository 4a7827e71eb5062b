import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacNoAnonymousOrAllUsersGrants as check } from '../../../src/checks/rbac/rbac-no-anonymous-or-all-users-grants.js';
import { paths, runCheck } from '../../helpers.js';
import { binding, clusterBinding } from './fixtures.js';

test("Kubernetes' own discovery binding to system:authenticated is not reported", () => {
  assert.deepEqual(runCheck(check, clusterBinding('system:discovery', 'system:discovery', '[{kind: Group, name: "system:authenticated"}]')), []);
});

test('bindings to anonymous, unauthenticated, all authenticated and all service accounts fail', () => {
  const v = runCheck(
    check,
    clusterBinding('x', 'view', '[{kind: User, name: "system:anonymous"}, {kind: Group, name: "system:unauthenticated"}, {kind: Group, name: devs}]') +
      binding('n1', 'y', 'ClusterRole', 'view', '[{kind: Group, name: "system:authenticated"}, {kind: Group, name: "system:serviceaccounts"}]'),
  );
  assert.deepEqual(paths(v), ['subjects[0]', 'subjects[1]', 'subjects[0]', 'subjects[1]']);
  assert.match(v[0]!.message, /every unauthenticated caller/);
});

test('the default discovery binding with an added subject is reported', () => {
  const v = runCheck(check, clusterBinding('system:discovery', 'system:discovery', '[{kind: Group, name: "system:authenticated"}, {kind: Group, name: "system:unauthenticated"}]'));
  assert.equal(v.length, 2);
});
