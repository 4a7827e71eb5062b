import type { ObjectCheck, Violation } from '../types.js';
import { BINDING_KINDS, userBinding } from './shared.js';

const EVERYONE: Record<string, string> = {
  'system:anonymous': 'every unauthenticated caller',
  'system:unauthenticated': 'every unauthenticated caller',
  'system:authenticated': 'every authenticated user and service account',
  'system:serviceaccounts': 'every service account of every namespace',
};

export const rbacNoAnonymousOrAllUsersGrants: ObjectCheck = {
  id: 'rbac-no-anonymous-or-all-users-grants',
  title: 'No role is bound to anonymous users or to all users',
  severity: 'high',
  category: 'rbac',
  controls: ['nsa:A1', 'nsa:A6'],
  rationale:
    'A binding to system:anonymous or system:unauthenticated grants its permissions to anyone who can reach the API server; ' +
    'one to system:authenticated or system:serviceaccounts to every identity of the cluster, so the compromise of any pod yields them.',
  remediation: 'Bind the role to the named users, groups or service accounts that need it.',
  appliesTo: 'ClusterRoleBindings and RoleBindings (Kubernetes\' unchanged defaults, such as system:discovery, excepted)',
  scope: 'object',
  kinds: BINDING_KINDS,
  examples: {
    pass: 'subjects: [{kind: Group, name: developers}]',
    fail: 'subjects: [{kind: Group, name: system:authenticated}]',
  },
  evaluate(obj, ctx) {
    const b = userBinding(obj, ctx.inventory);
    if (!b) return [];
    return b.subjects
      .filter((s) => (s.kind === 'Group' || s.kind === 'User') && EVERYONE[s.name])
      .map((s): Violation => ({
        path: ['subjects', s.index],
        message: `binds ${b.roleRef.kind} ${b.roleRef.name} to ${s.name}, that is ${EVERYONE[s.name]}; bind named subjects instead`,
      }));
  },
};
