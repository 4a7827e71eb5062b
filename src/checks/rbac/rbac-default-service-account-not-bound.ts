import { describeSubject, parseServiceAccountUser, resolveSubject } from '../../analysis/rbac/engine.js';
import type { ObjectCheck, Violation } from '../types.js';
import { BINDING_KINDS, userBinding } from './shared.js';

export const rbacDefaultServiceAccountNotBound: ObjectCheck = {
  id: 'rbac-default-service-account-not-bound',
  title: 'No role is bound to a default service account',
  severity: 'medium',
  category: 'rbac',
  controls: ['cis:5.1.5', 'nsa:A9'],
  rationale:
    'Every pod that names no service account runs as `default`. Permissions bound to it go to every such pod of the ' +
    'namespace, present and future, instead of to the one workload that needs them.',
  remediation: 'Create a dedicated ServiceAccount for the workload that needs the permissions, bind the role to it, and set serviceAccountName in that workload.',
  appliesTo: 'ClusterRoleBindings and RoleBindings (Kubernetes\' unchanged defaults excepted)',
  scope: 'object',
  kinds: BINDING_KINDS,
  examples: {
    pass: 'subjects: [{kind: ServiceAccount, name: billing-api, namespace: shop}]',
    fail: 'subjects: [{kind: ServiceAccount, name: default, namespace: shop}]',
  },
  evaluate(obj, ctx) {
    const b = userBinding(obj, ctx.inventory);
    if (!b) return [];
    return b.subjects.flatMap((s): Violation[] => {
      const id = resolveSubject(s, b);
      const isDefault = (id.kind === 'ServiceAccount' && id.name === 'default') || (id.kind === 'User' && parseServiceAccountUser(id.name)?.name === 'default');
      if (!isDefault) return [];
      return [{ path: ['subjects', s.index], message: `binds ${b.roleRef.kind} ${b.roleRef.name} to ${describeSubject(id)}, which every pod without its own service account uses; bind a dedicated ServiceAccount instead` }];
    });
  },
};
