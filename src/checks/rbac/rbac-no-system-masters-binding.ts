import type { ObjectCheck, Violation } from '../types.js';
import { BINDING_KINDS, userBinding } from './shared.js';

export const rbacNoSystemMastersBinding: ObjectCheck = {
  id: 'rbac-no-system-masters-binding',
  title: 'No binding names the system:masters group',
  severity: 'medium',
  category: 'rbac',
  controls: ['cis:5.1.7', 'nsa:A6'],
  rationale:
    'Members of system:masters bypass RBAC altogether and cannot be revoked by removing bindings; a binding to the group ' +
    'adds nothing and suggests that credentials with that group are in use.',
  remediation: 'Remove system:masters from the binding, and give administrators a group of their own bound to the role they need (kubeadm 1.29+ uses kubeadm:cluster-admins).',
  appliesTo: 'ClusterRoleBindings and RoleBindings (the default cluster-admin binding excepted)',
  scope: 'object',
  kinds: BINDING_KINDS,
  examples: {
    pass: 'subjects: [{kind: Group, name: platform-admins}]',
    fail: 'subjects: [{kind: Group, name: system:masters}]',
  },
  evaluate(obj, ctx) {
    const b = userBinding(obj, ctx.inventory);
    if (!b) return [];
    return b.subjects
      .filter((s) => s.kind === 'Group' && s.name === 'system:masters')
      .map((s): Violation => ({ path: ['subjects', s.index], message: 'names group system:masters, whose members bypass RBAC entirely; use a dedicated admin group instead' }));
  },
};
