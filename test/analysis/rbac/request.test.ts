import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RbacEngine } from '../../../src/analysis/rbac/engine.js';
import { buildRequest, parseSubject } from '../../../src/analysis/rbac/request.js';
import { whoCan } from '../../../src/analysis/rbac/queries.js';
import { inventoryFromYaml } from '../../helpers.js';

test('RESOURCE as kubectl writes it: group after the dot, subresource after the slash', () => {
  assert.deepEqual(buildRequest({ verb: 'patch', resource: 'deployments.apps/scale', namespace: 'a', name: 'd' }), {
    type: 'resource', verb: 'patch', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'a', name: 'd',
  });
  assert.deepEqual(buildRequest({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'a', name: 'p' }).type, 'resource');
  assert.deepEqual(buildRequest({ verb: 'get', resource: '/healthz' }), { type: 'nonResource', verb: 'get', path: '/healthz' });
  assert.throws(() => buildRequest({ verb: 'get', resource: 'pods/log', subresource: 'exec' }), /subresource given twice/);
});

test('§1.1: get or patch of Namespace foo is a request in namespace foo, so a RoleBinding in foo applies', () => {
  const req = buildRequest({ verb: 'patch', resource: 'namespaces', name: 'foo' });
  assert.equal(req.type === 'resource' && req.namespace, 'foo');
  const engine = RbacEngine.fromInventory(
    inventoryFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ns-editor, namespace: foo}
rules: [{apiGroups: [""], resources: [namespaces], verbs: [patch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ns-editor, namespace: foo}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ns-editor}
subjects: [{kind: User, name: lee}]
`),
    { bootstrap: false },
  );
  assert.deepEqual(whoCan(engine, req).subjects.map((s) => s.name), ['system:masters', 'lee']);
  // Creating a Namespace is cluster-scoped (namespace ""): the RoleBinding does not apply.
  assert.deepEqual(whoCan(engine, buildRequest({ verb: 'create', resource: 'namespaces' })).subjects.map((s) => s.name), ['system:masters']);
});

test('subjects in every accepted spelling', () => {
  assert.deepEqual(parseSubject('alice'), { kind: 'User', name: 'alice' });
  assert.deepEqual(parseSubject('user:system:kube-proxy'), { kind: 'User', name: 'system:kube-proxy' });
  assert.deepEqual(parseSubject('group:system:masters'), { kind: 'Group', name: 'system:masters' });
  assert.deepEqual(parseSubject('sa:dev/build'), { kind: 'ServiceAccount', namespace: 'dev', name: 'build' });
  assert.deepEqual(parseSubject('serviceaccount:dev:build'), { kind: 'ServiceAccount', namespace: 'dev', name: 'build' });
  assert.deepEqual(parseSubject('system:serviceaccount:dev:build'), { kind: 'ServiceAccount', namespace: 'dev', name: 'build' });
  assert.throws(() => parseSubject('sa:build'), /must be written sa:NAMESPACE\/NAME/);
  assert.throws(() => parseSubject('group:'), /has no name/);
});
