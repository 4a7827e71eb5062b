import { SECRET_BEARING_CLASSES, decisionsAtLeast } from '../../analysis/audit/analysis.js';
import { describeRule, type PolicyRule } from '../../analysis/audit/policy.js';
import { jsonPointer } from '../../inventory/model.js';
import type { Violation } from '../types.js';
import { auditPolicyCheck, describeSubset } from './audit-policies.js';

export const auditPolicyKeepsSecretsOutOfLogs = auditPolicyCheck(
  {
    id: 'audit-policy-keeps-secrets-out-of-logs',
    title: 'The audit policy logs Secrets, ConfigMaps and TokenReviews at Metadata at most',
    severity: 'high',
    controls: ['cis:3.2.2', 'nsa:L3'],
    rationale:
      'At Request and RequestResponse the audit log holds request and response bodies: the data of Secrets, the values ' +
      'of ConfigMaps (often credentials), the bearer token of every TokenReview and the token a TokenRequest returns. ' +
      'Audit logs are read and shipped by more people and systems than can read Secrets. Rules are matched in order ' +
      'and the first match decides, so any rule reached first by some of these requests counts — even one scoped to a ' +
      'few users, verbs or namespaces.',
    remediation:
      'Put a rule with level Metadata for secrets, configmaps and serviceaccounts/token (group "") and tokenreviews ' +
      '(group authentication.k8s.io) before every rule that logs bodies.',
    examples: {
      pass:
        'rules:\n- level: Metadata\n  resources:\n  - group: ""\n    resources: [secrets, configmaps, serviceaccounts/token]\n' +
        '  - group: authentication.k8s.io\n    resources: [tokenreviews]\n- level: RequestResponse',
      fail: 'rules:\n- level: RequestResponse',
    },
  },
  (analysis) => {
    const leaks = new Map<PolicyRule, string[]>();
    for (const c of SECRET_BEARING_CLASSES) {
      for (const d of decisionsAtLeast(analysis.decide(c), 'Request')) {
        const list = leaks.get(d.rule) ?? [];
        list.push(`${c.label}${describeSubset(analysis, d.boxes, c.request)}`);
        leaks.set(d.rule, list);
      }
    }
    return [...leaks].map(([rule, what]): Omit<Violation, 'object'> => {
      const onlySecretBearing = rule.resources.length > 0 && rule.resources.every((gr) => gr.resources.length > 0 && gr.resources.every((r) => isSecretBearing(gr.group, r)));
      return {
        path: ['rules', rule.index, 'level'],
        message:
          `${describeRule(rule)} is the first rule to match ${what.join('; ')} and logs their bodies at ${rule.level}, so ` +
          `secret values land in the audit log; log them at Metadata (a Metadata rule for them before rules[${rule.index}])`,
        ...(onlySecretBearing ? { fix: [{ op: 'replace' as const, path: jsonPointer(['rules', rule.index, 'level']), value: 'Metadata' }] } : {}),
      };
    });
  },
);

function isSecretBearing(group: string, resource: string): boolean {
  return SECRET_BEARING_CLASSES.some((c) => {
    const sub = c.request.subresource?.[0] ?? '';
    const name = sub ? `${c.request.resource?.[0]}/${sub}` : c.request.resource?.[0];
    return c.request.apiGroup?.[0] === group && name === resource;
  });
}
