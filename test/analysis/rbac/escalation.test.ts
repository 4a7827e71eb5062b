// The escalation vectors of spec/semantics.md §2.2, each as a small cluster where one subject
// holds exactly the vector's permission, plus the cases that must NOT be escalations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RbacEngine, type SubjectId } from '../../../src/analysis/rbac/engine.js';
import { EscalationGraph, type PathsOptions } from '../../../src/analysis/rbac/escalation.js';
import { inventoryFromYaml } from '../../helpers.js';

/** Namespace `team` enforces restricted Pod Security, so pod creation there is not a node escape. */
const TEAM = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {pod-security.kubernetes.io/enforce: restricted}}\n---\n';
/** A service account of `team` that is cluster-admin: the prize of namespace-level vectors. */
const ADMIN_SA = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ops, namespace: team}]
---
`;
const EVE: SubjectId = { kind: 'User', name: 'eve' };

/** Gives user eve the rules, cluster-wide (`cluster`) or through a RoleBinding in `team`. */
function grant(rules: string, scope: 'cluster' | 'team'): string {
  const roleDoc = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: eve-role}\nrules: ${rules}\n---\n`;
  const bindingDoc =
    scope === 'cluster'
      ? `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: eve}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: eve-role}\nsubjects: [{kind: User, name: eve}]\n---\n`
      : `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: eve, namespace: team}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: eve-role}\nsubjects: [{kind: User, name: eve}]\n---\n`;
  return roleDoc + bindingDoc;
}

function pathFor(yaml: string, subject: SubjectId = EVE, options: PathsOptions = {}) {
  const inventory = inventoryFromYaml(yaml);
  return new EscalationGraph(RbacEngine.fromInventory(inventory), inventory, options).pathOf(subject);
}

const vectors = (steps: { vector: string }[] | undefined) => steps?.map((s) => s.vector);

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: ops-pod, namespace: team}
spec: {serviceAccountName: ops, containers: [{name: c, image: busybox}]}
---
`;

const namespaceVectors: [string, string, string][] = [
  ['E1 create pods', '[{apiGroups: [""], resources: [pods], verbs: [create]}]', 'E1'],
  ['E2 create deployments', '[{apiGroups: [apps], resources: [deployments], verbs: [create]}]', 'E2'],
  ['E2 patch cronjobs', '[{apiGroups: [batch], resources: [cronjobs], verbs: [patch]}]', 'E2'],
  ['E2 update replicationcontrollers', '[{apiGroups: [""], resources: [replicationcontrollers], verbs: [update]}]', 'E2'],
  ['E3 patch pods (change the image of a running pod)', '[{apiGroups: [""], resources: [pods], verbs: [patch]}]', 'E3'],
  ['E4 create pods/exec', '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]', 'E4'],
  ['E4 get pods/exec (before v1.35)', '[{apiGroups: [""], resources: [pods/exec], verbs: [get]}]', 'E4'],
  ['E5 create pods/attach', '[{apiGroups: [""], resources: [pods/attach], verbs: [create]}]', 'E5'],
  ['E7 patch pods/ephemeralcontainers', '[{apiGroups: [""], resources: [pods/ephemeralcontainers], verbs: [patch]}]', 'E7'],
  ['E8 list secrets', '[{apiGroups: [""], resources: [secrets], verbs: [list]}]', 'E8'],
  ['E10 create serviceaccounts/token', '[{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}]', 'E10'],
  ['E12 bind admin + create rolebindings', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [admin]}, {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}]', 'E12'],
  ['E11 escalate + create roles + create rolebindings', '[{apiGroups: [rbac.authorization.k8s.io], resources: [roles, rolebindings], verbs: [escalate, create]}]', 'E11'],
  ['E14 impersonate serviceaccounts', '[{apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}]', 'E14'],
];

for (const [name, rules, vector] of namespaceVectors) {
  test(`§2.2 ${name} in namespace team reaches its cluster-admin service account`, () => {
    const steps = pathFor(TEAM + ADMIN_SA + PODS + grant(rules, 'team'));
    assert.deepEqual(vectors(steps), [vector, 'E25']);
    assert.equal(steps![0]!.grants, 'ServiceAccount team/ops');
    assert.match(steps![0]!.via, /RoleBinding team\/eve → ClusterRole eve-role/);
  });
}

test('§2.2 E3/E4 target the service accounts of running pods only', () => {
  const exec = '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]';
  // No pod runs as ops: exec cannot reach it.
  assert.equal(pathFor(TEAM + ADMIN_SA + grant(exec, 'team')), undefined);
});

test('§2.2 E10 resourceNames limit which service accounts get tokens', () => {
  const rules = '[{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create], resourceNames: [builder]}]';
  assert.equal(pathFor(TEAM + ADMIN_SA + grant(rules, 'team')), undefined);
});

test('§2.2 E8 get with resourceNames reaches only a named token Secret', () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: ops-token, namespace: team, annotations: {kubernetes.io/service-account.name: ops}}\ntype: kubernetes.io/service-account-token\n---\n';
  const named = '[{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [ops-token]}]';
  assert.deepEqual(vectors(pathFor(TEAM + ADMIN_SA + secret + grant(named, 'team'))), ['E8', 'E25']);
  const other = '[{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [tls]}]';
  assert.equal(pathFor(TEAM + ADMIN_SA + secret + grant(other, 'team')), undefined);
});

const clusterVectors: [string, string, string][] = [
  ['E25 * on * cluster-wide', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]', 'E25'],
  ['E15 get nodes/proxy', '[{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}]', 'E15'],
  ['E17 patch mutatingwebhookconfigurations', '[{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [patch]}]', 'E17'],
  [
    'E16 create + approve CSRs for kube-apiserver-client',
    '[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create, get]}, {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}, {apiGroups: [certificates.k8s.io], resources: [signers], resourceNames: [kubernetes.io/kube-apiserver-client], verbs: [approve]}]',
    'E16',
  ],
  ['E12 bind cluster-admin + create clusterrolebindings', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [cluster-admin]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]', 'E12'],
  ['E11 escalate + update clusterroles, already bound to one', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, update]}]', 'E11'],
  ['E14 impersonate users and groups', '[{apiGroups: [""], resources: [users, groups], verbs: [impersonate]}]', 'E14'],
  ['E18 create persistentvolumes + pods', '[{apiGroups: [""], resources: [persistentvolumes], verbs: [create]}, {apiGroups: [""], resources: [pods], verbs: [create]}]', 'E18'],
  ['E24 patch ConfigMap kube-system/aws-auth (EKS)', '[{apiGroups: [""], resources: [configmaps], verbs: [patch], resourceNames: [aws-auth]}]', 'E24'],
  ['E8 list secrets cluster-wide (kube-system tokens)', '[{apiGroups: [""], resources: [secrets], verbs: [list]}]', 'E8'],
  ['E1 create pods cluster-wide (kube-system)', '[{apiGroups: [""], resources: [pods], verbs: [create]}]', 'E1'],
];

for (const [name, rules, vector] of clusterVectors) {
  test(`§2.2 ${name} is cluster-admin in one step`, () => {
    const steps = pathFor(TEAM + grant(rules, 'cluster'));
    assert.deepEqual(vectors(steps), [vector]);
    assert.equal(steps![0]!.grants, 'cluster-admin');
  });
}

test('§1.2 a member of system:masters is cluster-admin whatever RBAC says', () => {
  assert.deepEqual(vectors(pathFor(TEAM, { kind: 'Group', name: 'system:masters' })), ['masters']);
});

test('§2.2 E16 needs every part: approval without a matching signer is no path', () => {
  const rules = '[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create, get]}, {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}, {apiGroups: [certificates.k8s.io], resources: [signers], resourceNames: [kubernetes.io/kubelet-serving], verbs: [approve]}]';
  assert.equal(pathFor(TEAM + grant(rules, 'cluster')), undefined);
});

test('§2.2 E14 impersonating only groups (no user) is no path', () => {
  assert.equal(pathFor(TEAM + grant('[{apiGroups: [""], resources: [groups], verbs: [impersonate]}]', 'cluster')), undefined);
});

test('§2.2 E14 impersonating a named cluster-admin user is a two-step path', () => {
  const admin = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: root}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: User, name: root}]\n---\n`;
  const steps = pathFor(TEAM + admin + grant('[{apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [root]}]', 'cluster'));
  assert.deepEqual(vectors(steps), ['E14', 'E25']);
  assert.equal(steps![0]!.grants, 'User root');
});

test('§2.2 E13 create rolebindings without bind/escalate is not an escalation', () => {
  assert.equal(pathFor(TEAM + ADMIN_SA + grant('[{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings, clusterrolebindings], verbs: [create]}]', 'cluster')), undefined);
});

test('§2.2 E6 portforward is not an identity gain', () => {
  assert.equal(pathFor(TEAM + ADMIN_SA + PODS + grant('[{apiGroups: [""], resources: [pods/portforward], verbs: [create]}]', 'team')), undefined);
});

test('§2.1 pod creation in a namespace without Pod Security enforcement escapes to the node, unless admission is assumed', () => {
  const rules = '[{apiGroups: [""], resources: [pods], verbs: [create]}]';
  const open = grant(rules, 'team').replace(/team/g, 'open');
  assert.deepEqual(vectors(pathFor(open)), ['E1']);
  assert.match(pathFor(open)![0]!.action, /shows no Pod Security enforce label/);
  assert.equal(pathFor(open, EVE, { assumeRestrictedPods: true }), undefined);
});

test('§2.2 E19 patch on its own Namespace plus pod creation is cluster-admin even in an enforcing namespace', () => {
  const rules = '[{apiGroups: [""], resources: [pods], verbs: [create]}, {apiGroups: [""], resources: [namespaces], verbs: [patch]}]';
  assert.deepEqual(vectors(pathFor(TEAM + grant(rules, 'team'))), ['E19']);
});

test('§2.1 any namespace-level vector in kube-system is cluster-admin', () => {
  const rules = '[{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}]';
  assert.deepEqual(vectors(pathFor(grant(rules, 'team').replace(/namespace: team/, 'namespace: kube-system'))), ['E10']);
});

test('§2.2 notes: E1 needs no get on serviceaccounts and reaches the default service account', () => {
  const defaultAdmin = ADMIN_SA.replace('name: ops, namespace: team', 'name: default, namespace: team');
  assert.deepEqual(vectors(pathFor(TEAM + defaultAdmin + grant('[{apiGroups: [""], resources: [pods], verbs: [create]}]', 'team'))), ['E1', 'E25']);
});

test('a reader has no path; aggregated view stays harmless', () => {
  assert.equal(pathFor(TEAM + ADMIN_SA + grant('[{apiGroups: [""], resources: [pods, configmaps], verbs: [get, list]}]', 'team')), undefined);
});

test('§2.1 a token for one named kube-system service account is that account, not all of kube-system', () => {
  // As calico-node: TokenRequest for kube-system/calico-cni-plugin only (resourceNames).
  const rules = '[{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create], resourceNames: [calico-cni-plugin]}]';
  const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: calico-cni-plugin, namespace: kube-system}\n---\n';
  assert.equal(pathFor(sa + grant(rules, 'cluster')), undefined);
  const admin = ADMIN_SA.replace('name: ops, namespace: team', 'name: calico-cni-plugin, namespace: kube-system');
  assert.deepEqual(vectors(pathFor(sa + admin + grant(rules, 'cluster'))), ['E10', 'E25']);
});

test('§2.2 E4 exec into a privileged or hostPath pod is root on its node, whatever the namespace enforces', () => {
  const privileged = PODS.replace('containers: [{name: c, image: busybox}]', 'containers: [{name: c, image: busybox, securityContext: {privileged: true}}]');
  const exec = '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]';
  assert.deepEqual(vectors(pathFor(TEAM + privileged + grant(exec, 'team'))), ['E4']);
  const hostPath = PODS.replace('containers:', 'volumes: [{name: root, hostPath: {path: /}}], containers:');
  assert.deepEqual(vectors(pathFor(TEAM + hostPath + grant(exec, 'team'))), ['E4']);
  assert.equal(pathFor(TEAM + PODS + grant(exec, 'team')), undefined);
});

test('§2.2 E4 a privileged ephemeral container (kubectl debug) makes its pod root on its node, as a privileged container does', () => {
  const debugged = PODS.replace('containers: [{name: c, image: busybox}]', 'containers: [{name: c, image: busybox}], ephemeralContainers: [{name: debugger, image: busybox, securityContext: {privileged: true}}]');
  assert.notEqual(debugged, PODS);
  const exec = '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]';
  assert.deepEqual(vectors(pathFor(TEAM + debugged + grant(exec, 'team'))), ['E4']);
});

// Namespaces whose RoleBindings grant nothing about a vector's resources share one answer per
// subject (the cluster-wide grants'); a namespace whose RoleBindings do must still be asked on its
// own, whichever namespace was asked first.
const QUIET = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: quiet, labels: {pod-security.kubernetes.io/enforce: restricted}}\n---\n';
function bindIn(namespace: string, name: string, rules: string): string {
  return (
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ${name}}\nrules: ${rules}\n---\n` +
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: ${name}, namespace: ${namespace}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${name}}\nsubjects: [{kind: User, name: eve}]\n---\n`
  );
}
// Cluster-wide, a rule that makes every namespace a candidate but reaches no account there.
const EVERYWHERE_NOTHING = grant('[{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create], resourceNames: [builder]}]', 'cluster');
const CONFIGMAPS = '[{apiGroups: [""], resources: [configmaps], verbs: [get]}]';

for (const [name, rules, vector] of [
  ['E1 create pods', '[{apiGroups: [""], resources: [pods], verbs: [create]}]', 'E1'],
  ['E2 create deployments', '[{apiGroups: [apps], resources: [deployments], verbs: [create]}]', 'E2'],
  ['E4 create pods/exec', '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]', 'E4'],
  ['E3 patch pods', '[{apiGroups: [""], resources: [pods], verbs: [patch]}]', 'E3'],
] as const) {
  test(`§2.2 ${name} granted in team only, beside a RoleBinding in quiet that grants other things: the path goes through team`, () => {
    const steps = pathFor(TEAM + QUIET + ADMIN_SA + PODS + EVERYWHERE_NOTHING + bindIn('quiet', 'eve-quiet', CONFIGMAPS) + bindIn('team', 'eve-team', rules));
    assert.deepEqual(vectors(steps), [vector, 'E25']);
    assert.equal(steps![0]!.grants, 'ServiceAccount team/ops');
    assert.match(steps![0]!.via, /RoleBinding team\/eve-team/);
  });
}

test('§2.2 a RoleBinding that grants nothing on pods leaves the namespace as every other: no path', () => {
  assert.equal(pathFor(TEAM + QUIET + ADMIN_SA + PODS + EVERYWHERE_NOTHING + bindIn('quiet', 'eve-quiet', CONFIGMAPS) + bindIn('team', 'eve-team', CONFIGMAPS)), undefined);
});
