import { parsePolicy } from '../../analysis/audit/policy.js';
import type { InventoryCheck } from '../types.js';
import { AUDIT_POLICY_APPLIES_TO, auditPoliciesIn } from './audit-policies.js';

export const auditPolicyValid: InventoryCheck = {
  id: 'audit-policy-valid',
  title: 'The audit Policy is one the API server can load',
  severity: 'high',
  category: 'audit',
  controls: ['cis:3.2.1', 'nsa:L1'],
  rationale:
    'The API server validates the policy named by --audit-policy-file when it starts and refuses to start when a rule ' +
    'has an unknown level, mixes resources with non-resource URLs, names a group with its version, or the policy has ' +
    'no rules. A policy that cannot load gives no audit trail at all.',
  remediation:
    'Fix each reported field: levels are None, Metadata, Request or RequestResponse; a rule selects either resources ' +
    '(with namespaces) or nonResourceURLs; groups are written without a version ("apps", not "apps/v1").',
  appliesTo: AUDIT_POLICY_APPLIES_TO,
  scope: 'inventory',
  examples: {
    pass: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata',
    fail: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Verbose',
  },
  evaluate(inventory) {
    const objects = auditPoliciesIn(inventory);
    if (!objects.length) return { skip: 'the input has no audit Policy (audit.k8s.io/v1)' };
    const violations = objects.flatMap((object) => {
      const parsed = parsePolicy(object.raw);
      return parsed.ok ? [] : parsed.problems.map((p) => ({ path: p.path, message: p.message, object }));
    });
    return { evaluated: objects.length, violations };
  },
};
