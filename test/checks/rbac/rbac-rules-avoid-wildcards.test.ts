import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacRulesAvoidWildcards as check } from '../../../src/checks/rbac/rbac-rules-avoid-wildcards.js';
import { paths, runCheck } from '../../helpers.js';
import { clusterRole, role } from './fixtures.js';

test('explicit rules pass, and the unchanged default cluster-admin role is not reported', () => {
  const yaml = role('a', 'r', '[{apiGroups: [apps], resources: [deployments], verbs: [get]}]') +
    clusterRole('cluster-admin', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}, {nonResourceURLs: ["*"], verbs: ["*"]}]');
  assert.deepEqual(runCheck(check, yaml), []);
});

test('each wildcard is reported at its exact place', () => {
  const yaml = role('a', 'r', '[{apiGroups: [apps], resources: [deployments], verbs: [get]}, {apiGroups: ["*"], resources: [pods, "*"], verbs: ["*"]}]');
  assert.deepEqual(paths(runCheck(check, yaml)), ['rules[1].apiGroups[0]', 'rules[1].resources[1]', 'rules[1].verbs[0]']);
});

test('a ClusterRole named cluster-admin with changed rules is reported', () => {
  assert.equal(runCheck(check, clusterRole('cluster-admin', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]')).length, 3);
});
