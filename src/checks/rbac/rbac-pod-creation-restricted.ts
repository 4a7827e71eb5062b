import { describeSubject, resolveSubject, type SubjectId } from '../../analysis/rbac/engine.js';
import { isFullWildcard } from '../../analysis/rbac/rules.js';
import type { ObjectCheck, Violation } from '../types.js';
import { BINDING_KINDS, grantedRules, userBinding, type Permission } from './shared.js';

const POD_CREATING: Permission[] = [
  { verbs: ['create'], group: '', resource: 'pods' },
  ...(
    [['apps', 'deployments'], ['apps', 'replicasets'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers']] as const
  ).map(([group, resource]) => ({ verbs: ['create', 'update', 'patch'], group, resource })),
];

/** Groups that hold every user, every anonymous caller, or every service account (of a namespace). */
function isBroadGroup(s: SubjectId): boolean {
  return s.kind === 'Group' && (s.name === 'system:authenticated' || s.name === 'system:unauthenticated' || s.name === 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:'));
}

export const rbacPodCreationRestricted: ObjectCheck = {
  id: 'rbac-pod-creation-restricted',
  title: 'Pod creation is not granted cluster-wide or to broad groups',
  severity: 'high',
  category: 'rbac',
  controls: ['cis:5.1.4', 'nsa:A6'],
  rationale:
    'Creating a pod, or any workload whose pods the creator defines, runs code as any service account of the namespace and, ' +
    'where admission allows privileged pods, as root on a node. Cluster-wide that includes kube-system.',
  remediation: 'Grant pod and workload creation through RoleBindings in the namespaces that need it, to named users or service accounts, not to system:authenticated or every service account.',
  appliesTo: 'ClusterRoleBindings, and RoleBindings to broad groups (Kubernetes\' unchanged defaults excepted)',
  scope: 'object',
  kinds: BINDING_KINDS,
  examples: {
    pass: 'kind: RoleBinding\nmetadata: {namespace: ci}\nroleRef: {kind: ClusterRole, name: edit}\nsubjects: [{kind: ServiceAccount, name: deployer}]',
    fail: 'kind: ClusterRoleBinding\nroleRef: {kind: ClusterRole, name: edit}\nsubjects: [{kind: Group, name: system:authenticated}]',
  },
  evaluate(obj, ctx) {
    const b = userBinding(obj, ctx.inventory);
    if (!b) return [];
    // Full `*` rules are reported by rbac-cluster-admin-bound-only-where-needed / rbac-rules-avoid-wildcards.
    const rules = POD_CREATING.flatMap((p) => grantedRules(b, ctx.inventory, p).filter((r) => !isFullWildcard(r.rule)).map((r) => ({ p, r })));
    if (!rules.length) return [];
    const byRule = new Map<string, string[]>();
    for (const { p, r } of rules) {
      const key = `${r.role.kind} ${r.role.name} rules[${r.index}]`;
      byRule.set(key, [...(byRule.get(key) ?? []), p.resource]);
    }
    const how = [...byRule].map(([rule, resources]) => `${rule}: ${resources.join(', ')}`).join('; ');
    const out: Violation[] = [];
    for (const s of b.subjects) {
      const id = resolveSubject(s, b);
      if (b.kind === 'ClusterRoleBinding') {
        out.push({ path: ['subjects', s.index], message: `${describeSubject(id)} can create pods in every namespace, kube-system included (${how}); grant it per namespace with a RoleBinding` });
      } else if (isBroadGroup(id)) {
        out.push({ path: ['subjects', s.index], message: `every member of ${id.name} can create pods in namespace ${b.namespace} (${how}); bind named subjects instead` });
      }
    }
    return out;
  },
};
