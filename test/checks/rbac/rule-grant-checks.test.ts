// The checks built on the rule-grant template (CIS 5.1.8–5.1.13): a passing and a failing rule each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rbacBindEscalateImpersonateRestricted } from '../../../src/checks/rbac/rbac-bind-escalate-impersonate-restricted.js';
import { rbacCsrApprovalRestricted } from '../../../src/checks/rbac/rbac-csr-approval-restricted.js';
import { rbacNodeWritesRestricted } from '../../../src/checks/rbac/rbac-node-writes-restricted.js';
import { rbacNodesProxyRestricted } from '../../../src/checks/rbac/rbac-nodes-proxy-restricted.js';
import { rbacPersistentVolumeCreationRestricted } from '../../../src/checks/rbac/rbac-persistent-volume-creation-restricted.js';
import { rbacStatusWritesRestricted } from '../../../src/checks/rbac/rbac-status-writes-restricted.js';
import { rbacTokenCreationRestricted } from '../../../src/checks/rbac/rbac-token-creation-restricted.js';
import { rbacWebhookConfigurationRestricted } from '../../../src/checks/rbac/rbac-webhook-configuration-restricted.js';
import type { Check } from '../../../src/checks/types.js';
import { paths, runCheck } from '../../helpers.js';
import { clusterRole, role } from './fixtures.js';

const cases: [Check, string, string][] = [
  [rbacBindEscalateImpersonateRestricted, '{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}', '{apiGroups: [""], resources: [users, groups], verbs: [impersonate]}'],
  [rbacBindEscalateImpersonateRestricted, '{apiGroups: [""], resources: [serviceaccounts], verbs: [get]}', '{apiGroups: ["*"], resources: [clusterroles], verbs: [escalate]}'],
  [rbacPersistentVolumeCreationRestricted, '{apiGroups: [""], resources: [persistentvolumes], verbs: [get, list]}', '{apiGroups: [""], resources: [persistentvolumes], verbs: [create]}'],
  [rbacNodesProxyRestricted, '{apiGroups: [""], resources: [nodes, nodes/metrics], verbs: [get]}', '{apiGroups: [""], resources: ["*/proxy"], verbs: [get]}'],
  [rbacCsrApprovalRestricted, '{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}', '{apiGroups: [certificates.k8s.io], resources: [signers], resourceNames: [kubernetes.io/kube-apiserver-client], verbs: [approve]}'],
  [rbacWebhookConfigurationRestricted, '{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [get, list, watch]}', '{apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [delete]}'],
  [rbacTokenCreationRestricted, '{apiGroups: [""], resources: [serviceaccounts], verbs: [create]}', '{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}'],
  // E21 (and half of E20): node labels, taints, cordoning.
  [rbacNodeWritesRestricted, '{apiGroups: [""], resources: [nodes, nodes/status], verbs: [get, list, watch]}', '{apiGroups: [""], resources: [nodes/status], verbs: [patch]}'],
  [rbacNodeWritesRestricted, '{apiGroups: [""], resources: [pods], verbs: [update]}', '{apiGroups: [""], resources: [nodes], verbs: [update]}'],
  // E22 and E23 (CVE-2020-8554).
  [rbacStatusWritesRestricted, '{apiGroups: [""], resources: [services, pods], verbs: [update, patch]}', '{apiGroups: [""], resources: [services/status], verbs: [update]}'],
  [rbacStatusWritesRestricted, '{apiGroups: [apps], resources: [deployments/status], verbs: [update]}', '{apiGroups: [""], resources: [pods/status], verbs: [patch]}'],
];

for (const [check, passing, failing] of cases) {
  test(`${check.id}: ${passing} passes, ${failing} fails at rules[1].verbs`, () => {
    assert.deepEqual(runCheck(check, clusterRole('c', `[${passing}]`)), []);
    const v = runCheck(check, clusterRole('c', `[${passing}, ${failing}]`));
    assert.deepEqual(paths(v), ['rules[1].verbs']);
  });
}

test('cluster-scoped permissions in a namespaced Role are not reported (a Role cannot grant them)', () => {
  assert.deepEqual(runCheck(rbacNodesProxyRestricted, role('a', 'r', '[{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}]')), []);
});

test("Kubernetes' unchanged system:kubelet-api-admin is not reported; the same rules under another name are", () => {
  // The rules of v1.37.2, as the real server creates them (src/analysis/rbac/bootstrap-policy-data.ts).
  const rules = '[{apiGroups: [""], resources: [nodes], verbs: [get, list, watch]}, {apiGroups: [""], resources: [nodes], verbs: [proxy]}, {apiGroups: [""], resources: [nodes/log, nodes/metrics, nodes/proxy, nodes/stats], verbs: ["*"]}, {apiGroups: [""], resources: [nodes/configz, nodes/healthz, nodes/pods], verbs: ["*"]}]';
  assert.deepEqual(runCheck(rbacNodesProxyRestricted, clusterRole('system:kubelet-api-admin', rules)), []);
  assert.deepEqual(paths(runCheck(rbacNodesProxyRestricted, clusterRole('kubelet-admin', rules))), ['rules[2].verbs']);
});

test("Kubernetes' unchanged controller roles are not reported; a copy under another name is", () => {
  const rules = '[{apiGroups: [""], resources: [services], verbs: [get, list, watch]}, {apiGroups: [""], resources: [services/status], verbs: [patch, update]}, {apiGroups: [""], resources: [nodes], verbs: [list, watch]}, {apiGroups: ["", events.k8s.io], resources: [events], verbs: [create, patch, update]}]';
  assert.deepEqual(runCheck(rbacStatusWritesRestricted, clusterRole('system:controller:service-controller', rules)), []);
  assert.deepEqual(paths(runCheck(rbacStatusWritesRestricted, clusterRole('my-lb-controller', rules))), ['rules[1].verbs']);
});
