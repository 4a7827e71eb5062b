import { describeRule } from '../../analysis/audit/policy.js';
import { auditPolicyCheck } from './audit-policies.js';

export const auditPolicyRulesReachable = auditPolicyCheck(
  {
    id: 'audit-policy-rules-reachable',
    title: 'Every audit policy rule can match some request (no rule is shadowed by earlier ones)',
    severity: 'medium',
    // A dead rule is a policy bug, not itself a gap the benchmarks name (the gaps it hides are
    // reported by the coverage checks), so it maps to no control.
    controls: [],
    rationale:
      'The API server uses the first rule that matches a request. A rule whose requests are all matched by rules above ' +
      'it never applies: its level is dead text, and the author believes requests are logged in a way they are not. ' +
      'A catch-all None or an early broad rule is the usual cause.',
    remediation:
      'Move the shadowed rule above the rules that take its requests (specific rules first, broad ones after), or ' +
      'remove it if the broader rule says what you want.',
    examples: {
      pass: 'rules:\n- level: Metadata\n  resources:\n  - group: ""\n    resources: [secrets]\n- level: RequestResponse',
      fail: 'rules:\n- level: RequestResponse\n- level: Metadata\n  resources:\n  - group: ""\n    resources: [secrets]',
    },
  },
  (analysis) =>
    analysis.shadowed().map(({ rule, by }) => ({
      path: ['rules', rule.index],
      message:
        `${describeRule(rule)} never matches: every request it selects is matched first by ` +
        `${by.map(describeRule).join(' and ')}; move it above ${by.map((r) => `rules[${r.index}]`).join(' and ')} or remove it`,
    })),
);
