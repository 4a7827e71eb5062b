import type { ObjectCheck, Violation } from '../types.js';
import { ROLE_KINDS, userRole } from './shared.js';

const FIELDS = ['apiGroups', 'resources', 'verbs'] as const;
const MEANING: Record<(typeof FIELDS)[number], string> = {
  apiGroups: 'every API group, including ones added later by CRDs',
  resources: 'every resource and every subresource, including ones added later',
  verbs: 'every verb, including bind, escalate and impersonate',
};

export const rbacRulesAvoidWildcards: ObjectCheck = {
  id: 'rbac-rules-avoid-wildcards',
  title: 'Roles do not use wildcards in apiGroups, resources or verbs',
  severity: 'medium',
  category: 'rbac',
  controls: ['cis:5.1.3', 'nsa:A6'],
  rationale:
    'A "*" grants everything that exists now and everything added later (new resources, CRDs, subresources such as ' +
    'pods/exec, verbs such as escalate), so the role silently grows.',
  remediation: 'List the exact API groups, resources and verbs the subject needs.',
  appliesTo: 'rules of Roles and ClusterRoles (Kubernetes\' unchanged default roles, such as cluster-admin, excepted)',
  scope: 'object',
  kinds: ROLE_KINDS,
  examples: {
    pass: 'rules:\n- apiGroups: [apps]\n  resources: [deployments]\n  verbs: [get, list, watch]',
    fail: 'rules:\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]',
  },
  evaluate(obj, ctx) {
    const role = userRole(obj, ctx.inventory);
    if (!role) return [];
    const out: Violation[] = [];
    for (const placed of role.rules) {
      for (const field of FIELDS) {
        const at = placed.rule[field].indexOf('*');
        if (at === -1) continue;
        out.push({ path: ['rules', placed.index, field, at], message: `rules[${placed.index}].${field} is "*", which grants ${MEANING[field]}; list the exact ${field} needed` });
      }
    }
    return out;
  },
};
