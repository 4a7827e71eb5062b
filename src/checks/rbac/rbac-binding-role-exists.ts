import { describeRole } from '../../analysis/rbac/types.js';
import type { ObjectCheck } from '../types.js';
import { BINDING_KINDS, rbacFacts, userBinding } from './shared.js';

export const rbacBindingRoleExists: ObjectCheck = {
  id: 'rbac-binding-role-exists',
  title: 'Every binding refers to a role that exists',
  severity: 'low',
  category: 'rbac',
  controls: ['nsa:A10'],
  rationale:
    'A binding to a missing role grants nothing today, but the moment a role with that name is created its subjects get ' +
    'whatever that role holds, so whoever can create roles chooses their permissions.',
  remediation: 'Delete the binding, or add the role it refers to (a Role in the binding\'s namespace, or a ClusterRole).',
  appliesTo: 'ClusterRoleBindings and RoleBindings, against the scanned roles and Kubernetes\' default roles',
  scope: 'object',
  kinds: BINDING_KINDS,
  examples: {
    pass: 'roleRef: {kind: ClusterRole, name: view}',
    fail: 'roleRef: {kind: Role, name: role-that-was-deleted}',
  },
  evaluate(obj, ctx) {
    const b = userBinding(obj, ctx.inventory);
    if (!b || rbacFacts(ctx.inventory).engine.findRole(b.roleRef)) return [];
    return [
      {
        path: ['roleRef', 'name'],
        message: `${describeRole(b.roleRef)} does not exist in the input or among Kubernetes' default roles; the binding grants nothing until someone creates it`,
      },
    ];
  },
};
