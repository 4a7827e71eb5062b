// The shape every audit-policy check shares: find the audit Policies in the inventory, read
// them as the API server does, and ask one question of each valid one. Invalid policies are
// reported once, by audit-policy-valid; the other checks skip them (the API server would not
// start with them, so no level applies).

import type { Inventory } from '../../inventory/inventory.js';
import type { InventoryObject } from '../../inventory/model.js';
import { PolicyAnalysis } from '../../analysis/audit/analysis.js';
import { isAuditPolicy, parsePolicy } from '../../analysis/audit/policy.js';
import { SpaceTooLarge, type Box, type RequestClass } from '../../analysis/audit/space.js';
import type { CheckMeta, InventoryCheck, InventoryOutcome, Violation } from '../types.js';

export function auditPoliciesIn(inventory: Inventory): InventoryObject[] {
  return inventory.ofKind('Policy').filter(isAuditPolicy);
}

export const AUDIT_POLICY_APPLIES_TO = 'audit Policy objects (audit.k8s.io/v1), e.g. the file named by --audit-policy-file';

/** Builds an inventory check that runs `question` on the analysis of every valid audit Policy. */
export function auditPolicyCheck(
  meta: Omit<CheckMeta, 'appliesTo' | 'category'>,
  question: (analysis: PolicyAnalysis) => Omit<Violation, 'object'>[],
): InventoryCheck {
  return {
    ...meta,
    category: 'audit',
    appliesTo: AUDIT_POLICY_APPLIES_TO,
    scope: 'inventory',
    evaluate(inventory): InventoryOutcome {
      const objects = auditPoliciesIn(inventory);
      if (!objects.length) return { skip: 'the input has no audit Policy (audit.k8s.io/v1)' };
      const violations: Violation[] = [];
      let evaluated = 0;
      const tooLarge: string[] = [];
      for (const object of objects) {
        const parsed = parsePolicy(object.raw);
        if (!parsed.ok) continue;
        try {
          const found = question(new PolicyAnalysis(parsed.policy));
          violations.push(...found.map((v) => ({ ...v, object })));
          evaluated++;
        } catch (err) {
          if (!(err instanceof SpaceTooLarge)) throw err;
          tooLarge.push(object.name || object.source.file);
        }
      }
      if (!evaluated) {
        return {
          skip: tooLarge.length
            ? `the audit Policy ${tooLarge.join(', ')} is too large to analyse exactly`
            : 'no audit Policy in the input is valid (see audit-policy-valid)',
        };
      }
      return { evaluated, violations };
    },
  };
}

/** The part of a class a rule decides, in words: ` (verbs create, patch; namespaces kube-system)`, or "" for all of it. */
export function describeSubset(analysis: PolicyAnalysis, boxes: Box[], within: RequestClass = {}): string {
  const parts: string[] = [];
  for (const [d, noun] of [['verb', 'verb'], ['namespace', 'namespace'], ['user', 'user'], ['group', 'group']] as const) {
    const text = analysis.describe(boxes, d, noun, within[d]);
    if (text !== `every ${noun}`) parts.push(`${noun}s ${text}`);
  }
  return parts.length ? ` (${parts.join('; ')})` : '';
}
