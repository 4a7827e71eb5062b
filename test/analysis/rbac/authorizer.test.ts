// The worked examples of spec/semantics.md §1.10, one assertion each, through the real engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RbacEngine, identityOf, type Identity } from '../../../src/analysis/rbac/engine.js';
import type { Request, ResourceRequest } from '../../../src/analysis/rbac/rules.js';
import { inventoryFromYaml } from '../../helpers.js';

const SETUP = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb1, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: scaler}
rules: [{apiGroups: ["*"], resources: ["*/scale"], verbs: [update, patch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb1}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: scaler}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules: [{nonResourceURLs: [/metrics, "/debug/*"], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb2}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
subjects: [{kind: ServiceAccount, name: prom, namespace: mon}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb2, namespace: mon}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}]
`;

// Without the defaults, so that only the worked example's own bindings can allow anything.
const engine = RbacEngine.fromInventory(inventoryFromYaml(SETUP), { bootstrap: false });
const alice: Identity = { user: 'alice', groups: ['system:authenticated'] };
const carol: Identity = { user: 'carol', groups: ['ops', 'system:authenticated'] };
const prom = identityOf({ kind: 'ServiceAccount', namespace: 'mon', name: 'prom' });
const bob: Identity = { user: 'bob', groups: ['system:authenticated'] };
const dave: Identity = { user: 'dave', groups: ['system:masters', 'system:authenticated'] };

function res(verb: string, resource: string, namespace: string, name = '', extra: Partial<ResourceRequest> = {}): Request {
  return { type: 'resource', verb, apiGroup: '', resource, subresource: '', namespace, name, ...extra };
}
const url = (verb: string, path: string): Request => ({ type: 'nonResource', verb, path });

const table: [string, Identity, Request, boolean][] = [
  ['1 alice get pods/p1 in dev', alice, res('get', 'pods', 'dev', 'p1'), true],
  ['2 alice get pods/p1 in prod', alice, res('get', 'pods', 'prod', 'p1'), false],
  ['3 alice list pods in all namespaces', alice, res('list', 'pods', ''), false],
  ['4 alice get pods/p1/log in dev', alice, res('get', 'pods', 'dev', 'p1', { subresource: 'log' }), false],
  ['5 alice create pods in dev', alice, res('create', 'pods', 'dev'), false],
  ['6 carol patch deployments/d1/scale', carol, res('patch', 'deployments', 'any', 'd1', { apiGroup: 'apps', subresource: 'scale' }), true],
  ['7 carol patch deployments/d1', carol, res('patch', 'deployments', 'any', 'd1', { apiGroup: 'apps' }), false],
  ['8 prom GET /metrics', prom, url('get', '/metrics'), true],
  ['9 prom GET /debug/pprof/heap', prom, url('get', '/debug/pprof/heap'), true],
  ['10 prom GET /debug', prom, url('get', '/debug'), false],
  ['11 prom POST /metrics', prom, url('post', '/metrics'), false],
  ['12 bob GET /metrics through a RoleBinding', bob, url('get', '/metrics'), false],
  ['13 dave (system:masters) anything', dave, res('delete', 'nodes', '', 'n1'), true],
];

for (const [name, who, request, expected] of table) {
  test(`§1.10 example ${name} → ${expected ? 'allow' : 'deny'}`, () => {
    assert.equal(engine.authorize(who, request).allowed, expected);
  });
}

test('§1.10 example 1 names the binding and rule that allow it', () => {
  const d = engine.authorize(alice, res('get', 'pods', 'dev', 'p1'));
  assert.deepEqual(d.grants.map((g) => [g.binding.name, g.placed.role.name, g.placed.index]), [['rb1', 'pod-reader', 0]]);
});

const cfgEngine = RbacEngine.fromInventory(
  inventoryFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cfg, namespace: app}
rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [cfg], verbs: [get, list, watch, update, create, delete]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: cfg, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cfg}
subjects: [{kind: User, name: u}]
`),
  { bootstrap: false },
);
const u: Identity = { user: 'u', groups: [] };
const names: [string, Request, boolean][] = [
  ['get configmaps/cfg', res('get', 'configmaps', 'app', 'cfg'), true],
  ['get configmaps/other', res('get', 'configmaps', 'app', 'other'), false],
  ['list configmaps', res('list', 'configmaps', 'app'), false],
  ['list configmaps?fieldSelector=metadata.name=cfg', res('list', 'configmaps', 'app', 'cfg'), true],
  ['watch configmaps?fieldSelector=metadata.name=cfg', res('watch', 'configmaps', 'app', 'cfg'), true],
  ['create configmaps (body name cfg)', res('create', 'configmaps', 'app'), false],
  ['deletecollection configmaps', res('deletecollection', 'configmaps', 'app'), false],
];
for (const [name, request, expected] of names) {
  test(`§1.10 resourceNames: ${name} → ${expected ? 'allow' : 'deny'}`, () => {
    assert.equal(cfgEngine.authorize(u, request).allowed, expected);
  });
}

function oneRule(resources: string, resourceNames?: string): RbacEngine {
  const names = resourceNames ? `, resourceNames: [${resourceNames}]` : '';
  return RbacEngine.fromInventory(
    inventoryFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: ns1}
rules: [{apiGroups: [""], resources: [${resources}], verbs: [create, get]${names}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: r, namespace: ns1}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: [{kind: User, name: u}]
`),
    { bootstrap: false },
  );
}
const exec = (pod: string) => res('create', 'pods', 'ns1', pod, { subresource: 'exec' });
const subresources: [string, string | undefined, Request, boolean][] = [
  ['"*"', undefined, exec('p'), true],
  ['"pods/*"', undefined, exec('p'), false],
  ['"*/exec"', undefined, exec('p'), true],
  ['"*/exec"', undefined, res('get', 'pods', 'ns1', 'p'), false],
  ['pods', 'p', exec('p'), false],
  ['pods/exec', 'p', exec('p'), true],
  ['pods/exec', 'p', exec('q'), false],
];
for (const [resources, rn, request, expected] of subresources) {
  const label = request.type === 'resource' ? `${request.verb} pods/${request.name}${request.subresource ? '/' + request.subresource : ''}` : '';
  test(`§1.10 subresources: rule [${resources}]${rn ? ` names [${rn}]` : ''}, ${label} → ${expected ? 'allow' : 'deny'}`, () => {
    assert.equal(oneRule(resources, rn).authorize(u, request).allowed, expected);
  });
}

function devBinding(subject: string): RbacEngine {
  return RbacEngine.fromInventory(
    inventoryFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects: [${subject}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
`),
    { bootstrap: false },
  );
}
const sa = (ns: string, name: string) => identityOf({ kind: 'ServiceAccount', namespace: ns, name });
const subjects: [string, Identity, boolean][] = [
  ['{kind: ServiceAccount, name: build}', sa('dev', 'build'), true],
  ['{kind: ServiceAccount, name: build}', sa('ci', 'build'), false],
  ['{kind: ServiceAccount, name: build, namespace: ci}', sa('ci', 'build'), true],
  ['{kind: Group, name: "system:serviceaccounts:ci"}', sa('ci', 'anything'), true],
  ['{kind: User, name: "system:serviceaccount:dev:build"}', sa('dev', 'build'), true],
  ['{kind: Group, name: "system:authenticated"}', { user: 'someone', groups: ['system:authenticated'] }, true],
];
for (const [subject, who, expected] of subjects) {
  test(`§1.10 subjects: ${subject} matches ${who.user} → ${expected}`, () => {
    assert.equal(devBinding(subject).authorize(who, res('get', 'pods', 'dev', 'p')).allowed, expected);
  });
}
