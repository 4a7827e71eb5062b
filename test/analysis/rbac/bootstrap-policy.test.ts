// Kubernetes' default RBAC policy as the engine sees it with no manifests at all. Each expectation
// was read from upstream bootstrappolicy (policy.go and testdata/*.yaml at the commits named in
// src/analysis/rbac/bootstrap-policy.ts), not from the table under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BOOTSTRAP_BINDINGS,
  BOOTSTRAP_CONTROLLER_ROLE_BINDINGS,
  BOOTSTRAP_CONTROLLER_ROLES,
  BOOTSTRAP_ROLES,
} from '../../../src/analysis/rbac/bootstrap-policy.js';
import { RbacEngine } from '../../../src/analysis/rbac/engine.js';
import { whoCan } from '../../../src/analysis/rbac/queries.js';
import { buildRequest, type RequestArgs } from '../../../src/analysis/rbac/request.js';
import { inventoryFromYaml } from '../../helpers.js';

const engine = RbacEngine.fromInventory(inventoryFromYaml(''));
const who = (args: RequestArgs) =>
  whoCan(engine, buildRequest(args)).subjects.map((s) => `${s.kind}:${s.namespace ? s.namespace + '/' : ''}${s.name}`).sort();

function binding(name: string, namespace?: string) {
  const b = BOOTSTRAP_BINDINGS.find((x) => x.name === name && x.namespace === namespace);
  assert.ok(b, `no default binding ${namespace ?? ''}/${name}`);
  return `${b.role.kind} ${b.role.name} ← ${b.subjects.map((s) => `${s.kind}:${s.namespace ? s.namespace + '/' : ''}${s.name}`).join(', ')}`;
}

test('default ClusterRoleBindings of policy.go', () => {
  assert.equal(binding('cluster-admin'), 'ClusterRole cluster-admin ← Group:system:masters');
  // Since v1.14 discovery and basic-user are for authenticated users only; anonymous requests keep public-info-viewer.
  assert.equal(binding('system:basic-user'), 'ClusterRole system:basic-user ← Group:system:authenticated');
  assert.equal(binding('system:discovery'), 'ClusterRole system:discovery ← Group:system:authenticated');
  assert.equal(binding('system:public-info-viewer'), 'ClusterRole system:public-info-viewer ← Group:system:authenticated, Group:system:unauthenticated');
  assert.equal(binding('system:kube-controller-manager'), 'ClusterRole system:kube-controller-manager ← User:system:kube-controller-manager');
  assert.equal(binding('system:node-proxier'), 'ClusterRole system:node-proxier ← User:system:kube-proxy');
  assert.equal(binding('system:volume-scheduler'), 'ClusterRole system:volume-scheduler ← User:system:kube-scheduler');
  assert.equal(binding('system:service-account-issuer-discovery'), 'ClusterRole system:service-account-issuer-discovery ← Group:system:serviceaccounts');
  // Kept with no subjects since the Node authorizer (v1.7), so that reconciliation empties it.
  assert.equal(binding('system:node'), 'ClusterRole system:node ← ');
});

test('anonymous requests may read /version but not discover APIs', () => {
  assert.ok(who({ verb: 'get', resource: '/version' }).includes('Group:system:unauthenticated'));
  assert.deepEqual(
    who({ verb: 'get', resource: '/apis' }).filter((s) => s.startsWith('Group:system:un')),
    [],
  );
  // The trailing-slash URLs added for clients generated from old OpenAPI documents.
  assert.ok(who({ verb: 'get', resource: '/openid/v1/jwks/' }).includes('Group:system:serviceaccounts'));
});

test('controller roles: each bound to the kube-system service account of its name', () => {
  assert.equal(BOOTSTRAP_CONTROLLER_ROLES.length, BOOTSTRAP_CONTROLLER_ROLE_BINDINGS.length);
  assert.equal(
    binding('system:controller:service-controller'),
    'ClusterRole system:controller:service-controller ← ServiceAccount:kube-system/service-controller',
  );
  assert.deepEqual(who({ verb: 'escalate', resource: 'clusterroles.rbac.authorization.k8s.io' }), [
    'Group:system:masters',
    'ServiceAccount:kube-system/clusterrole-aggregation-controller',
  ]);
  assert.ok(who({ verb: 'patch', resource: 'services', subresource: 'status', namespace: 'web' }).includes('ServiceAccount:kube-system/service-controller'));
  // The closed proof of concept's controller (PR #137498) is not part of any release.
  assert.ok(!BOOTSTRAP_ROLES.some((r) => r.name.includes('podcheckpoint')));
});

test('namespaced defaults: kube-system and kube-public Roles apply only there', () => {
  const reader = { verb: 'get', resource: 'configmaps', name: 'extension-apiserver-authentication' };
  assert.ok(who({ ...reader, namespace: 'kube-system' }).includes('User:system:kube-scheduler'));
  assert.ok(!who({ ...reader, namespace: 'default' }).includes('User:system:kube-scheduler'));
  const clusterInfo = { verb: 'update', resource: 'configmaps', name: 'cluster-info' };
  assert.ok(who({ ...clusterInfo, namespace: 'kube-public' }).includes('ServiceAccount:kube-system/bootstrap-signer'));
  assert.ok(!who({ ...clusterInfo, namespace: 'kube-system' }).includes('ServiceAccount:kube-system/bootstrap-signer'));
  assert.ok(who({ verb: 'update', resource: 'leases.coordination.k8s.io', namespace: 'kube-system' }).includes('ServiceAccount:kube-system/leader-election-controller'));
});

test('every default binding refers to a default role', () => {
  const roles = new Set(BOOTSTRAP_ROLES.map((r) => `${r.namespace ?? ''}/${r.name}`));
  for (const b of BOOTSTRAP_BINDINGS) {
    const key = `${b.role.kind === 'Role' ? (b.namespace ?? '') : ''}/${b.role.name}`;
    assert.ok(roles.has(key), `${b.name} → ${key}`);
  }
});

test('roles as policy.go has them now: events.k8s.io in view/edit, the scheduler reads VolumeAttachments', () => {
  const viewer = RbacEngine.fromInventory(
    inventoryFromYaml(
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: viewer, namespace: team}\n' +
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: ann}]\n',
    ),
  );
  const names = (args: RequestArgs) => whoCan(viewer, buildRequest(args)).subjects.map((s) => s.name);
  assert.ok(names({ verb: 'list', resource: 'events.events.k8s.io', namespace: 'team' }).includes('ann'));
  assert.ok(!names({ verb: 'create', resource: 'events.events.k8s.io', namespace: 'team' }).includes('ann'));
  assert.ok(who({ verb: 'list', resource: 'volumeattachments.storage.k8s.io' }).includes('User:system:kube-scheduler'));
  assert.ok(who({ verb: 'get', resource: 'nodes', subresource: 'metrics', name: 'n1' }).includes('Group:system:monitoring'));
});
