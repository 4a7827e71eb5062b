import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacNoPathToClusterAdmin as check } from '../../../src/checks/rbac/rbac-no-path-to-cluster-admin.js';
import { paths, runCheck } from '../../helpers.js';
import { binding, clusterBinding, clusterRole } from './fixtures.js';

const restricted = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {pod-security.kubernetes.io/enforce: restricted}}\n---\n';

test('a reader in a namespace that enforces Pod Security has no path', () => {
  assert.deepEqual(runCheck(check, restricted + binding('team', 'r', 'ClusterRole', 'view', '[{kind: User, name: ann}]')), []);
});

test('deployment rights in a namespace whose service account is cluster-admin form a two-step path', () => {
  const yaml = restricted +
    clusterRole('deployer', '[{apiGroups: [apps], resources: [deployments], verbs: [create]}]') +
    binding('team', 'd', 'ClusterRole', 'deployer', '[{kind: User, name: ann}]') +
    clusterBinding('ops', 'cluster-admin', '[{kind: ServiceAccount, name: ops, namespace: team}]');
  const v = runCheck(check, yaml);
  // ServiceAccount team/ops holds cluster-admin directly: rbac-cluster-admin-bound-only-where-needed reports it.
  assert.deepEqual(paths(v), ['subjects[0]']);
  assert.match(v[0]!.message, /User ann can become cluster-admin: 1\. creates or changes deployments\.apps .*→ ServiceAccount team\/ops \[E2\].*2\. holds \* on \*/);
});

test("a subject whose path comes from Kubernetes' default bindings alone is not reported for a scanned binding", () => {
  // Calico binds the controller-manager's user to a harmless role; the user's own default role
  // (list/watch on */*, Secrets of kube-system included) is what gives it the path.
  const harmless = clusterRole('tier-getter', '[{apiGroups: [projectcalico.org], resources: [tiers], verbs: [get]}]');
  const yaml = restricted + harmless + clusterBinding('tier-getter', 'tier-getter', '[{kind: User, name: system:kube-controller-manager}]');
  assert.deepEqual(runCheck(check, yaml), []);
  // The same default role bound to someone else by the manifests is a finding.
  const copied = restricted + clusterBinding('kcm-copy', 'system:kube-controller-manager', '[{kind: User, name: ann}]');
  const v = runCheck(check, copied);
  assert.deepEqual(paths(v), ['subjects[0]']);
  assert.match(v[0]!.message, /User ann can become cluster-admin: 1\. reads Secrets.* in kube-system/);
});
