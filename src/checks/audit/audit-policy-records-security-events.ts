import { SECURITY_RELEVANT_CLASSES } from '../../analysis/audit/analysis.js';
import { describeRule, type PolicyRule } from '../../analysis/audit/policy.js';
import type { Violation } from '../types.js';
import { auditPolicyCheck, describeSubset } from './audit-policies.js';

export const auditPolicyRecordsSecurityEvents = auditPolicyCheck(
  {
    id: 'audit-policy-records-security-events',
    title: 'The audit policy records RBAC changes, exec/attach/port-forward, Secret access and other security events',
    severity: 'high',
    controls: ['cis:3.2.2', 'nsa:L3'],
    rationale:
      'An investigation needs to know who changed RBAC, who exec-ed or attached into a pod or forwarded a port, who read ' +
      'Secrets, approved certificates, changed admission webhooks or requested service-account tokens. A rule at level ' +
      'None that matches these requests for every user, or no matching rule at all (the default is None), leaves no ' +
      'trace of them. None rules scoped to named users or groups are accepted as deliberate noise suppression.',
    remediation:
      'Make sure these requests reach a rule at Metadata or above: move broad None rules below a rule that records them, ' +
      'narrow them to the noisy users and verbs, and end the policy with a catch-all `- level: Metadata`.',
    examples: {
      pass: 'rules:\n- level: None\n  resources:\n  - group: ""\n    resources: [events]\n- level: Metadata',
      fail: 'rules:\n- level: None\n  resources:\n  - group: ""\n    resources: [pods/exec, secrets]\n- level: Metadata',
    },
  },
  (analysis) => {
    const silenced = new Map<PolicyRule, string[]>();
    const unmatched: string[] = [];
    for (const c of SECURITY_RELEVANT_CLASSES) {
      const outcome = analysis.decide(c);
      for (const d of outcome.decisions) {
        if (d.rule.level !== 'None' || d.rule.users.length || d.rule.userGroups.length) continue;
        const list = silenced.get(d.rule) ?? [];
        list.push(`${c.label}${describeSubset(analysis, d.boxes, c.request)}`);
        silenced.set(d.rule, list);
      }
      if (outcome.fallThrough.length) unmatched.push(`${c.label}${describeSubset(analysis, outcome.fallThrough, c.request)}`);
    }
    const violations: Omit<Violation, 'object'>[] = [...silenced].map(([rule, what]) => ({
      path: ['rules', rule.index, 'level'],
      message: `${describeRule(rule)} is the first rule to match ${what.join('; ')} for every user, so they are never recorded; record them at Metadata or above in a rule before rules[${rule.index}], or narrow this rule`,
    }));
    if (unmatched.length) {
      violations.push({
        path: ['rules'],
        message: `no rule matches ${unmatched.join('; ')}: these requests fall through to the default level None and are never recorded; add rules for them or end the policy with a catch-all \`- level: Metadata\``,
      });
    }
    return violations;
  },
);
