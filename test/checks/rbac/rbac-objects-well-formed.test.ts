import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacObjectsWellFormed as check } from '../../../src/checks/rbac/rbac-objects-well-formed.js';
import { paths, runCheck } from '../../helpers.js';
import { binding, clusterBinding, clusterRole, role } from './fixtures.js';

test('well-formed objects pass', () => {
  assert.deepEqual(runCheck(check, role('a', 'r', '[{apiGroups: [""], resources: [pods], verbs: [get]}]') + binding('a', 'b', 'Role', 'r', '[{kind: User, name: u}]')), []);
});

test('bad rules, unknown subject kinds, namespace-less service accounts and aggregation cycles are reported at their field', () => {
  const yaml =
    role('a', 'r', '[{apiGroups: [""], resources: [pods]}, {resources: [pods], verbs: [get]}, {nonResourceURLs: [/x], verbs: [get]}, {apiGroups: [""], resources: pods, verbs: [get]}, "text"]') +
    clusterBinding('c', 'view', '[{kind: Robot, name: r2}, {kind: ServiceAccount, name: sa}, {kind: User}]') +
    clusterRole('agg-a', '[]', ', labels: {a: "true"}') .replace('rules: []', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {b: "true"}}]}') +
    clusterRole('agg-b', '[]', ', labels: {b: "true"}').replace('rules: []', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {a: "true"}}]}');
  const v = runCheck(check, yaml);
  assert.deepEqual(paths(v), [
    'rules[0].verbs', 'rules[1].apiGroups', 'rules[2].nonResourceURLs', 'rules[3].resources', 'rules[4]',
    'subjects[0].kind', 'subjects[1].namespace', 'subjects[2].name',
    'aggregationRule',
  ]);
  assert.match(v[8]!.message, /aggregation cycle agg-a → agg-b → agg-a/);
});
