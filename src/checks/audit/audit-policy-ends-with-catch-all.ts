import { isCatchAll } from '../../analysis/audit/analysis.js';
import { describeRule } from '../../analysis/audit/policy.js';
import { jsonPointer } from '../../inventory/model.js';
import { auditPolicyCheck, describeSubset } from './audit-policies.js';

/** `describe` of the kind dimension, in words. */
const KIND_WORDS: Record<string, string> = {
  'every kind': 'resource and non-resource requests',
  resource: 'resource requests',
  nonResource: 'non-resource requests',
};

export const auditPolicyEndsWithCatchAll = auditPolicyCheck(
  {
    id: 'audit-policy-ends-with-catch-all',
    title: 'The audit policy logs every request no other rule selects, at Metadata or above',
    severity: 'medium',
    controls: ['cis:3.2.2', 'nsa:L3'],
    rationale:
      'A request that matches no rule gets the level None and leaves no audit event, so a policy that lists only the ' +
      'requests its author thought of silently drops everything else — including new resources and CRDs. A catch-all ' +
      'rule at level None drops them on purpose and also silences every rule after it.',
    remediation: 'End the policy with a catch-all rule `- level: Metadata` (no selectors), and remove catch-all None rules.',
    examples: {
      pass: 'rules:\n- level: None\n  resources:\n  - group: ""\n    resources: [events]\n- level: Metadata',
      fail: 'rules:\n- level: Metadata\n  resources:\n  - group: ""\n    resources: [secrets]',
    },
  },
  (analysis) => {
    const catchAllNone = analysis.policy.rules.find((r) => r.level === 'None' && isCatchAll(r));
    if (catchAllNone) {
      return [{
        path: ['rules', catchAllNone.index, 'level'],
        message: `${describeRule(catchAllNone)} matches every request at level None: no request after it is ever logged; set it to Metadata`,
        fix: [{ op: 'replace' as const, path: jsonPointer(['rules', catchAllNone.index, 'level']), value: 'Metadata' }],
      }];
    }
    const { fallThrough } = analysis.decide({ label: 'every request', request: {} });
    if (!fallThrough.length) return [];
    const kinds = analysis.describe(fallThrough, 'kind', 'kind');
    const which = KIND_WORDS[kinds] ?? 'requests';
    return [{
      path: ['rules'],
      message: `${which} that no rule selects${describeSubset(analysis, fallThrough)} get the default level None and are not logged; add \`- level: Metadata\` as the last rule`,
      fix: [{ op: 'add' as const, path: '/rules/-', value: { level: 'Metadata' } }],
    }];
  },
);
