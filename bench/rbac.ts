// Benchmark of the RBAC engine at scale (not a test): 5,000 roles and 10,000 bindings over 500
// namespaces, with wildcards, resourceNames, aggregation and escalation vectors mixed in.
// Prints the time to build the engine, to answer who-can, and to compute every path to
// cluster-admin.  Run: npm run build && node dist/bench/rbac.js [namespaces]

import { performance } from 'node:perf_hooks';
import { RbacEngine } from '../src/analysis/rbac/engine.js';
import { EscalationGraph } from '../src/analysis/rbac/escalation.js';
import { whoCan } from '../src/analysis/rbac/queries.js';
import { buildRequest } from '../src/analysis/rbac/request.js';
import { Inventory } from '../src/inventory/inventory.js';
import { addText } from '../src/inventory/parse-manifest.js';

const NAMESPACES = Number(process.argv[2] ?? 500);
const ROLES_PER_NS = 8; // + 2 ClusterRoles per namespace = 10 roles per namespace
const BINDINGS_PER_NS = 20;

const RULES = [
  '{apiGroups: [""], resources: [pods, services], verbs: [get, list, watch]}',
  '{apiGroups: [apps], resources: [deployments], verbs: [create, update, patch]}',
  '{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [app-tls]}',
  '{apiGroups: [""], resources: [configmaps], verbs: ["*"]}',
  '{apiGroups: [""], resources: [pods/exec], verbs: [create]}',
  '{apiGroups: ["*"], resources: ["*/scale"], verbs: [update, patch]}',
  '{apiGroups: [batch], resources: [jobs, cronjobs], verbs: [get, list]}',
  '{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create], resourceNames: [builder]}',
];

function generate(): string {
  const docs: string[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns-${n}`;
    const enforce = n % 3 === 0 ? '' : ', labels: {pod-security.kubernetes.io/enforce: restricted}';
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}${enforce}}`);
    for (let s = 0; s < 5; s++) docs.push(`apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa-${s}, namespace: ${ns}}`);
    for (let r = 0; r < ROLES_PER_NS; r++) {
      const rules = [RULES[(n + r) % RULES.length], RULES[(n + 3 * r + 1) % RULES.length]].join(', ');
      docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: role-${r}, namespace: ${ns}}\nrules: [${rules}]`);
    }
    for (let c = 0; c < 2; c++) {
      const label = c === 0 ? ', labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}' : '';
      docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: cr-${n}-${c}${label}}\nrules: [${RULES[(n + c) % RULES.length]}]`);
    }
    for (let b = 0; b < BINDINGS_PER_NS; b++) {
      const subject = b % 4 === 0 ? `{kind: User, name: user-${n}-${b}}` : b % 4 === 1 ? `{kind: Group, name: team-${n % 50}}` : `{kind: ServiceAccount, name: sa-${b % 5}}`;
      if (b === 0 && n % 50 === 0) {
        docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb-${n}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${n % 100 === 0 ? 'cluster-admin' : 'view'}}\nsubjects: [{kind: ServiceAccount, name: sa-1, namespace: ${ns}}]`);
        continue;
      }
      const roleRef = b % 5 === 0 ? `{kind: ClusterRole, name: ${b % 10 === 0 ? 'edit' : `cr-${n}-1`}}` : `{kind: Role, name: role-${b % ROLES_PER_NS}}`;
      docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb-${b}, namespace: ${ns}}\nroleRef: ${roleRef}\nsubjects: [${subject}]`);
    }
  }
  return docs.join('\n---\n');
}

function time<T>(label: string, fn: () => T): T {
  const start = performance.now();
  const value = fn();
  console.log(`${label.padEnd(44)} ${(performance.now() - start).toFixed(1).padStart(8)} ms`);
  return value;
}

const inventory = new Inventory();
time('parse generated YAML into the inventory', () => addText(inventory, 'generated.yaml', generate(), 0));
const count = (kind: string) => inventory.ofKind(kind).length;
console.log(`roles: ${count('Role') + count('ClusterRole')}, bindings: ${count('RoleBinding') + count('ClusterRoleBinding')}, namespaces: ${NAMESPACES}`);

const engine = time('build the engine (parse RBAC, aggregate)', () => RbacEngine.fromInventory(inventory));
for (const [verb, resource, namespace] of [
  ['create', 'deployments.apps', 'ns-7'],
  ['get', 'secrets', 'ns-250'],
  ['list', 'pods', ''],
  ['create', 'pods/exec', 'ns-42'],
] as const) {
  const request = buildRequest({ verb, resource, namespace });
  const answer = time(`who-can ${verb} ${resource} ${namespace || '(cluster)'}`, () => whoCan(engine, request));
  console.log(`  → ${answer.subjects.length} subjects`);
}
const graph = time('escalation graph (every identity, all vectors)', () => new EscalationGraph(engine, inventory));
const paths = time('paths --to cluster-admin', () => graph.paths());
console.log(`  → ${paths.length} subjects with a path`);
console.log(`peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
