// Aggregated ClusterRoles (spec/semantics.md §1.6) and the default admin/edit/view hierarchy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RbacEngine, type Identity } from '../../../src/analysis/rbac/engine.js';
import { EscalationGraph } from '../../../src/analysis/rbac/escalation.js';
import { buildRequest } from '../../../src/analysis/rbac/request.js';
import { inventoryFromYaml } from '../../helpers.js';

const bindTo = (role: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: [{kind: User, name: u}]
---
`;
const u: Identity = { user: 'u', groups: ['system:authenticated'] };
const can = (engine: RbacEngine, verb: string, resource: string) => engine.authorize(u, buildRequest({ verb, resource, namespace: 'app' })).allowed;

test('default view < edit < admin, from the bootstrap aggregation', () => {
  for (const [role, expected] of [
    ['view', { listPods: true, getSecrets: false, createDeployments: false, createRoleBindings: false }],
    ['edit', { listPods: true, getSecrets: true, createDeployments: true, createRoleBindings: false }],
    ['admin', { listPods: true, getSecrets: true, createDeployments: true, createRoleBindings: true }],
  ] as const) {
    const engine = RbacEngine.fromInventory(inventoryFromYaml(bindTo(role)));
    assert.deepEqual(
      {
        listPods: can(engine, 'list', 'pods'),
        getSecrets: can(engine, 'get', 'secrets'),
        createDeployments: can(engine, 'create', 'deployments.apps'),
        createRoleBindings: can(engine, 'create', 'rolebindings.rbac.authorization.k8s.io'),
      },
      expected,
      role,
    );
  }
});

test('a scanned ClusterRole labelled aggregate-to-view grows view, edit and admin', () => {
  const crd = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: crontabs-view, labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}
rules: [{apiGroups: [stable.example.com], resources: [crontabs], verbs: [get, list]}]
---
`;
  for (const role of ['view', 'edit', 'admin']) {
    const engine = RbacEngine.fromInventory(inventoryFromYaml(crd + bindTo(role)));
    assert.equal(can(engine, 'list', 'crontabs.stable.example.com'), true, role);
  }
});

test('an empty selector {} selects every ClusterRole, making the aggregate cluster-admin-equivalent', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
aggregationRule: {clusterRoleSelectors: [{}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: e}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects: [{kind: User, name: u}]
`;
  const inventory = inventoryFromYaml(yaml);
  const engine = RbacEngine.fromInventory(inventory);
  assert.equal(engine.authorize(u, buildRequest({ verb: 'delete', resource: 'nodes', name: 'n1' })).allowed, true);
  assert.deepEqual(new EscalationGraph(engine, inventory).pathOf({ kind: 'User', name: 'u' })?.map((s) => s.vector), ['E25']);
});

test('matchExpressions select as label selectors do; identical rules are kept once, in name order', () => {
  const role = (name: string, labels: string, rules: string) =>
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ${name}, labels: {${labels}}}\nrules: ${rules}\n---\n`;
  const yaml =
    role('b-source', 'tier: x', '[{apiGroups: [""], resources: [pods], verbs: [get]}]') +
    role('a-source', 'tier: y', '[{apiGroups: [""], resources: [pods], verbs: [get]}, {apiGroups: [""], resources: [services], verbs: [get]}]') +
    role('c-other', 'tier: z', '[{apiGroups: [""], resources: [secrets], verbs: [get]}]') +
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: agg}\naggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: tier, operator: In, values: [x, y]}]}]}\n';
  const engine = RbacEngine.fromInventory(inventoryFromYaml(yaml), { bootstrap: false });
  assert.deepEqual(
    engine.rulesOf({ kind: 'ClusterRole', name: 'agg' })!.map((r) => `${r.role.name}[${r.index}] ${r.rule.resources}`),
    ['a-source[0] pods', 'a-source[1] services'],
  );
});

test('§1.7 a binding to a missing role grants nothing, and takes effect once the role exists', () => {
  const binding = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: app}\nroleRef: {kind: Role, name: later}\nsubjects: [{kind: User, name: u}]\n---\n';
  const roleDoc = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: later, namespace: app}\nrules: [{apiGroups: [""], resources: [pods], verbs: [list]}]\n';
  assert.equal(can(RbacEngine.fromInventory(inventoryFromYaml(binding)), 'list', 'pods'), false);
  assert.equal(can(RbacEngine.fromInventory(inventoryFromYaml(binding + roleDoc)), 'list', 'pods'), true);
});

test('a stored aggregate whose rules the selectors produce (a cluster dump) raises no warning; a stray rule does and still applies', () => {
  const view = (extra: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}]}
rules:
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [get, list, watch]}
${extra}---
`;
  assert.deepEqual(RbacEngine.fromInventory(inventoryFromYaml(view(''))).problems, []);
  const engine = RbacEngine.fromInventory(inventoryFromYaml(view('- {apiGroups: [""], resources: [secrets], verbs: [get]}\n') + bindTo('view')));
  assert.deepEqual(engine.problems.map((p) => p.path), [['rules', 1]]);
  assert.equal(engine.authorize(u, buildRequest({ verb: 'get', resource: 'secrets', namespace: 'app', name: 's' })).allowed, true);
});
