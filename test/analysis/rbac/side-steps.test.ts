// E20–E23 of spec/semantics.md §2.2: node, pod-status and Service writes that give scheduling or
// traffic control but no path to cluster-admin by themselves. Each vector with a rule that holds it
// and one that does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RbacEngine } from '../../../src/analysis/rbac/engine.js';
import { EscalationGraph } from '../../../src/analysis/rbac/escalation.js';
import { inventoryFromYaml } from '../../helpers.js';

/** Namespace `team` enforces restricted Pod Security, so pod creation there is not a node escape. */
const TEAM = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {pod-security.kubernetes.io/enforce: restricted}}\n---\n';

function bindEve(name: string, rules: string, namespace?: string): string {
  const role = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ${name}}\nrules: ${rules}\n---\n`;
  const binding = namespace
    ? `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: ${name}, namespace: ${namespace}}\n`
    : `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ${name}}\n`;
  return `${role}${binding}roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${name}}\nsubjects: [{kind: User, name: eve}]\n---\n`;
}

/** Eve's side steps as `vector→result`; also asserts she has no path to cluster-admin. */
function sideSteps(yaml: string): string[] {
  const inventory = inventoryFromYaml(TEAM + yaml);
  const graph = new EscalationGraph(RbacEngine.fromInventory(inventory), inventory);
  assert.equal(graph.pathOf({ kind: 'User', name: 'eve' }), undefined);
  const eve = graph.sideSteps().find((s) => s.subject.kind === 'User' && s.subject.name === 'eve');
  return eve ? eve.steps.map((s) => `${s.vector}→${s.result}`) : [];
}

const NODES_PATCH = '{apiGroups: [""], resources: [nodes], verbs: [get, patch]}';

test('E20 steal pods: node writes plus eviction in kube-system', () => {
  assert.deepEqual(sideSteps(bindEve('e', `[${NODES_PATCH}, {apiGroups: [""], resources: [pods/eviction], verbs: [create]}]`)), [
    'E20→cluster-admin with node control',
  ]);
  // Deleting pods in kube-system is as good as evicting them.
  assert.deepEqual(sideSteps(bindEve('node-writer', `[${NODES_PATCH}]`) + bindEve('pod-deleter', '[{apiGroups: [""], resources: [pods], verbs: [delete]}]', 'kube-system')), [
    'E20→cluster-admin with node control',
  ]);
});

test('E20 needs kube-system: eviction only in team is E21 alone', () => {
  assert.deepEqual(sideSteps(bindEve('node-writer', `[${NODES_PATCH}]`) + bindEve('evictor', '[{apiGroups: [""], resources: [pods/eviction], verbs: [create]}]', 'team')), [
    'E21→indirect',
  ]);
});

test('E21 node labels and status; reading nodes is nothing', () => {
  assert.deepEqual(sideSteps(bindEve('e', '[{apiGroups: [""], resources: [nodes/status], verbs: [update]}]')), ['E21→indirect']);
  assert.deepEqual(sideSteps(bindEve('e', '[{apiGroups: [""], resources: [nodes, nodes/status], verbs: [get, list, watch]}]')), []);
});

test('E22 pods/status writes: MitM in the namespace of the binding, or everywhere', () => {
  assert.deepEqual(sideSteps(bindEve('e', '[{apiGroups: [""], resources: [pods/status], verbs: [patch]}]', 'team')), ['E22→MitM in team']);
  assert.deepEqual(sideSteps(bindEve('e', '[{apiGroups: [""], resources: [pods/status], verbs: [update]}]')), ['E22→MitM']);
  assert.deepEqual(sideSteps(bindEve('e', '[{apiGroups: [""], resources: [pods, pods/status], verbs: [get]}]', 'team')), []);
});

test('E23 services/status and Service externalIPs (CVE-2020-8554)', () => {
  assert.deepEqual(sideSteps(bindEve('e', '[{apiGroups: [""], resources: [services/status], verbs: [update]}]')), ['E23→MitM']);
  assert.deepEqual(sideSteps(bindEve('e', '[{apiGroups: [""], resources: [services], verbs: [create]}]', 'team')), ['E23→MitM in team']);
  assert.deepEqual(sideSteps(bindEve('e', '[{apiGroups: [""], resources: [services, services/status], verbs: [get, list]}]')), []);
  // A rule of another API group is not the core Service.
  assert.deepEqual(sideSteps(bindEve('e', '[{apiGroups: [example.com], resources: [services/status], verbs: [update]}]')), []);
});

test('a subject with a path to cluster-admin is listed under paths, not side steps', () => {
  const inventory = inventoryFromYaml(bindEve('e', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]'));
  const graph = new EscalationGraph(RbacEngine.fromInventory(inventory), inventory);
  assert.ok(graph.pathOf({ kind: 'User', name: 'eve' }));
  assert.ok(!graph.sideSteps().some((s) => s.subject.name === 'eve'));
});
