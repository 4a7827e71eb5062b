import { describeSubject, resolveSubject } from '../../analysis/rbac/engine.js';
import type { ObjectCheck } from '../types.js';
import { BINDING_KINDS, userBinding } from './shared.js';

export const rbacClusterAdminBoundOnlyWhereNeeded: ObjectCheck = {
  id: 'rbac-cluster-admin-bound-only-where-needed',
  title: 'The cluster-admin ClusterRole is bound only where needed',
  severity: 'high',
  category: 'rbac',
  controls: ['cis:5.1.1', 'nsa:A6'],
  rationale:
    'cluster-admin allows every action on every resource. A ClusterRoleBinding to it makes the subjects super-users of the ' +
    'whole cluster; a RoleBinding to it gives full control of the namespace, including its Secrets and service accounts.',
  remediation: 'Bind a role with only the permissions the subjects need (admin, edit or a custom Role) instead of cluster-admin.',
  appliesTo: 'ClusterRoleBindings and RoleBindings (the default cluster-admin binding to system:masters excepted)',
  scope: 'object',
  kinds: BINDING_KINDS,
  examples: {
    pass: 'kind: RoleBinding\nroleRef: {kind: ClusterRole, name: edit}\nsubjects: [{kind: Group, name: team-a}]',
    fail: 'kind: ClusterRoleBinding\nroleRef: {kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: Group, name: team-a}]',
  },
  evaluate(obj, ctx) {
    const b = userBinding(obj, ctx.inventory);
    if (!b || b.roleRef.kind !== 'ClusterRole' || b.roleRef.name !== 'cluster-admin') return [];
    const who = b.subjects.map((s) => describeSubject(resolveSubject(s, b))).join(', ') || 'no subjects yet';
    const scope = b.kind === 'ClusterRoleBinding' ? 'every permission in the whole cluster' : `every permission in namespace ${b.namespace}`;
    return [{ path: ['roleRef', 'name'], message: `binds cluster-admin (${scope}) to ${who}; bind a role with only the permissions needed` }];
  },
};
