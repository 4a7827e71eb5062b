import { describeRule, isFullWildcard } from '../../analysis/rbac/rules.js';
import { describeSubject, resolveSubject } from '../../analysis/rbac/engine.js';
import type { ObjectCheck, Violation } from '../types.js';
import { BINDING_KINDS, grantedRules, userBinding, where } from './shared.js';

export const rbacSecretAccessRestricted: ObjectCheck = {
  id: 'rbac-secret-access-restricted',
  title: 'Few subjects can read Secrets',
  severity: 'medium',
  category: 'rbac',
  controls: ['cis:5.1.2', 'nsa:A7'],
  rationale:
    'get, list and watch on Secrets return their data: credentials, TLS keys and service account tokens. list and watch ' +
    'return every Secret of the namespace at once, and through a ClusterRoleBinding of every namespace.',
  remediation: 'Remove Secret read access from the role, or restrict get to the named Secrets the subject needs (resourceNames); prefer mounting Secrets into pods over reading them through the API.',
  appliesTo: 'ClusterRoleBindings and RoleBindings (Kubernetes\' unchanged defaults excepted)',
  scope: 'object',
  kinds: BINDING_KINDS,
  examples: {
    pass: 'rules:\n- apiGroups: [""]\n  resources: [secrets]\n  resourceNames: [app-tls]\n  verbs: [get]',
    fail: 'rules:\n- apiGroups: [""]\n  resources: [secrets]\n  verbs: [get, list, watch]',
  },
  evaluate(obj, ctx) {
    const b = userBinding(obj, ctx.inventory);
    if (!b) return [];
    // Rules limited by resourceNames reach only the named Secrets: that is the least-privilege form.
    const rules = grantedRules(b, ctx.inventory, { verbs: ['get', 'list', 'watch'], group: '', resource: 'secrets' }).filter(
      // Full `*` rules are reported by rbac-cluster-admin-bound-only-where-needed / rbac-rules-avoid-wildcards.
      (r) => r.rule.resourceNames.length === 0 && !isFullWildcard(r.rule),
    );
    if (!rules.length) return [];
    const how = rules.map((r) => `${r.role.kind} ${r.role.name} rules[${r.index}] (${describeRule(r.rule)})`).join('; ');
    return b.subjects.map(
      (s): Violation => ({
        path: ['subjects', s.index],
        message: `${describeSubject(resolveSubject(s, b))} can read every Secret ${where(b)} through ${how}; grant it only the named Secrets it needs`,
      }),
    );
  },
};
