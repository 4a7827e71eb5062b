import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacNoSystemMastersBinding as check } from '../../../src/checks/rbac/rbac-no-system-masters-binding.js';
import { paths, runCheck } from '../../helpers.js';
import { clusterBinding } from './fixtures.js';

test('the default cluster-admin binding and other groups pass', () => {
  const yaml = clusterBinding('cluster-admin', 'cluster-admin', '[{kind: Group, name: "system:masters"}]') + clusterBinding('x', 'view', '[{kind: Group, name: admins}]');
  assert.deepEqual(runCheck(check, yaml), []);
});

test('another binding naming system:masters fails at the subject', () => {
  assert.deepEqual(paths(runCheck(check, clusterBinding('x', 'view', '[{kind: User, name: a}, {kind: Group, name: "system:masters"}]'))), ['subjects[1]']);
});
