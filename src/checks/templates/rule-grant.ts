// The template behind the "limit who holds permission X" checks (CIS 5.1.8–5.1.13): a Role or
// ClusterRole rule that grants one of the listed permissions is a finding at `rules[i].verbs`.
// Kubernetes' own unchanged default roles are not reported.

import { describeRule } from '../../analysis/rbac/rules.js';
import type { CheckMeta, ObjectCheck, Violation } from '../types.js';
import { describePermission, ROLE_KINDS, ruleGrants, userRole, type Permission } from '../rbac/shared.js';

export interface RuleGrantConfig extends Omit<CheckMeta, 'appliesTo'> {
  permissions: Permission[];
  /** Cluster-scoped permissions: a namespaced Role cannot grant them, so Roles are not reported. */
  clusterScoped?: boolean;
  /** What holding it allows, for the message: "can bind any role". */
  consequence: string;
}

export function ruleGrantCheck(config: RuleGrantConfig): ObjectCheck {
  const { permissions, clusterScoped, consequence, ...meta } = config;
  return {
    ...meta,
    appliesTo: 'rules of Roles and ClusterRoles (Kubernetes\' unchanged default roles excepted)',
    scope: 'object',
    kinds: ROLE_KINDS,
    evaluate(obj, ctx) {
      const role = userRole(obj, ctx.inventory);
      if (!role || (clusterScoped && role.ref.kind === 'Role')) return [];
      const out: Violation[] = [];
      for (const placed of role.rules) {
        const hit = permissions.filter((p) => ruleGrants(placed.rule, p));
        if (!hit.length) continue;
        const names = placed.rule.resourceNames.length ? ` (limited to names ${placed.rule.resourceNames.join(', ')})` : '';
        out.push({
          path: ['rules', placed.index, 'verbs'],
          message: `rules[${placed.index}] (${describeRule(placed.rule)}) grants ${hit.map(describePermission).join(', ')}${names}: whoever holds it ${consequence}. Keep it to the few identities that need it.`,
        });
      }
      return out;
    },
  };
}
