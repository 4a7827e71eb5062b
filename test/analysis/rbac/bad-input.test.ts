// Bad RBAC input never crashes: it becomes a problem naming the field, and the rest still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RbacEngine } from '../../../src/analysis/rbac/engine.js';
import { EscalationGraph } from '../../../src/analysis/rbac/escalation.js';
import { whoCan } from '../../../src/analysis/rbac/queries.js';
import { buildRequest } from '../../../src/analysis/rbac/request.js';
import { formatPath } from '../../../src/inventory/model.js';
import { inventoryFromYaml } from '../../helpers.js';

const BAD = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: broken}
rules:
- {apiGroups: [""], resources: [pods]}
- {apiGroups: [""], resources: [pods], verbs: get}
- {apiGroups: [""], resources: [pods], verbs: [get, 7]}
- null
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: weird-subjects}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: broken}
subjects: [{kind: Robot, name: r}, "text", {kind: ServiceAccount, name: sa}, {kind: User, name: ok}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: no-roleref}
subjects: [{kind: User, name: ok}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: to-a-role}
roleRef: {kind: Role, name: r}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dangling, namespace: a}
roleRef: {kind: Role, name: missing}
subjects: {kind: User, name: x}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: loop-a, labels: {loop: a}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {loop: b}}, {matchExpressions: [{key: k, operator: Near}]}]}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: loop-b, labels: {loop: b}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {loop: a}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: leaf, labels: {loop: a}}
rules: [{apiGroups: [""], resources: [services], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: bad-agg}
aggregationRule: [1, 2]
`;

const inventory = inventoryFromYaml(BAD);
const engine = RbacEngine.fromInventory(inventory, { bootstrap: false });
const problems = engine.problems.map((p) => `${p.object?.name}: ${formatPath(p.path)}`);

test('rules with missing or mistyped fields are reported and grant nothing; the good rule still works', () => {
  assert.deepEqual(problems.slice(0, 4), ['broken: rules[0].verbs', 'broken: rules[1].verbs', 'broken: rules[2].verbs', 'broken: rules[3]']);
  const answer = whoCan(engine, buildRequest({ verb: 'get', resource: 'configmaps', namespace: 'x' }));
  assert.deepEqual(answer.subjects.map((s) => s.name), ['system:masters', 'ok']);
  assert.deepEqual(whoCan(engine, buildRequest({ verb: 'get', resource: 'pods', namespace: 'x' })).subjects.map((s) => s.name), ['system:masters']);
});

test('unknown subject kinds, non-mapping subjects and namespace-less service accounts are reported', () => {
  for (const p of ['weird-subjects: subjects[0].kind', 'weird-subjects: subjects[1]', 'weird-subjects: subjects[2].namespace']) assert.ok(problems.includes(p), p);
});

test('a missing roleRef, a ClusterRoleBinding to a Role and a non-list subjects field are reported', () => {
  for (const p of ['no-roleref: roleRef', 'to-a-role: roleRef.kind', 'dangling: subjects']) assert.ok(problems.includes(p), p);
  assert.deepEqual(engine.danglingBindings().map((b) => b.name), ['dangling']);
});

test('an aggregation cycle converges to the union and is reported; an invalid selector selects nothing', () => {
  assert.ok(problems.includes('loop-a: aggregationRule'), problems.join('\n'));
  assert.ok(problems.includes('loop-a: aggregationRule.clusterRoleSelectors[1]'));
  assert.ok(problems.includes('bad-agg: aggregationRule.clusterRoleSelectors'));
  const rulesOf = (name: string) => engine.rulesOf({ kind: 'ClusterRole', name })!.map((r) => r.rule.resources.join()).sort();
  // loop-a's own secrets rule is selected by no one: kept (it applies until the controller runs), with a warning.
  assert.deepEqual(rulesOf('loop-a'), ['secrets', 'services']);
  assert.deepEqual(rulesOf('loop-b'), ['services']);
  assert.ok(problems.includes('loop-a: rules[0]'), problems.join('\n'));
});

test('the escalation graph builds over bad input', () => {
  assert.deepEqual(new EscalationGraph(engine, inventory).paths().map((p) => p.subject.name), ['system:masters']);
});

test('an RBAC kind from another API group is not RBAC', () => {
  const other = RbacEngine.fromInventory(
    inventoryFromYaml('apiVersion: example.com/v1\nkind: ClusterRoleBinding\nmetadata: {name: x}\nroleRef: {kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: User, name: eve}]\n'),
  );
  assert.equal(other.authorize({ user: 'eve', groups: [] }, buildRequest({ verb: 'get', resource: 'pods', namespace: 'a' })).allowed, false);
});
