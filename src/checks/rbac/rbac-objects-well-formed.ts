import type { InventoryCheck } from '../types.js';
import { rbacFacts } from './shared.js';

export const rbacObjectsWellFormed: InventoryCheck = {
  id: 'rbac-objects-well-formed',
  title: 'RBAC objects are well formed',
  severity: 'low',
  category: 'rbac',
  controls: ['nsa:A10'],
  rationale:
    'A rule with a missing field, a subject of an unknown kind, a ServiceAccount subject without a namespace in a ' +
    'ClusterRoleBinding or an aggregation cycle does not do what it seems to: the API server rejects it or it matches nobody.',
  remediation: 'Fix the field the finding names; the message says what Kubernetes expects.',
  appliesTo: 'Roles, ClusterRoles, RoleBindings and ClusterRoleBindings',
  scope: 'inventory',
  evaluate(inventory) {
    const { engine } = rbacFacts(inventory);
    const evaluated = [...engine.roles, ...engine.bindings].filter((o) => 'manifest' in o.origin).length;
    const violations = engine.problems.filter((p) => p.object).map((p) => ({ path: p.path, message: p.message, object: p.object }));
    return { evaluated, violations };
  },
};
