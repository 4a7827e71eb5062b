import { netpolModel } from '../../analysis/netpol/model.js';
import { allowsEverything } from '../../analysis/netpol/patterns.js';
import type { Direction } from '../../analysis/netpol/policy.js';
import type { ObjectCheck, Violation } from '../types.js';

const DIRECTIONS: Direction[] = ['ingress', 'egress'];

export const networkPolicyNoAllowAll: ObjectCheck = {
  id: 'network-policy-no-allow-all-rules',
  title: 'NetworkPolicy rules do not allow all traffic',
  severity: 'medium',
  category: 'network',
  controls: ['nsa:N3'],
  rationale:
    'A rule with no peers and no ports (`ingress: [{}]`), or one whose peer is 0.0.0.0/0 or ::/0 with no ports, allows ' +
    'every connection in that direction: it undoes the isolation of every pod the policy selects, including any default-deny.',
  remediation: 'Name the peers (podSelector/namespaceSelector, or the external CIDRs) and the ports the pods need.',
  appliesTo: 'NetworkPolicy objects',
  scope: 'object',
  kinds: ['NetworkPolicy'],
  examples: {
    pass: 'ingress:\n- from:\n  - podSelector: {matchLabels: {app: frontend}}\n  ports:\n  - {port: 8080}',
    fail: 'ingress:\n- {}',
  },
  evaluate(obj, ctx) {
    const policy = netpolModel(ctx.inventory).policies.find((p) => p.object === obj);
    if (!policy) return [];
    const violations: Violation[] = [];
    for (const d of DIRECTIONS) {
      for (const rule of policy.rules[d]) {
        if (!allowsEverything(rule)) continue;
        const wide = rule.peers?.find((p) => p.kind === 'ipBlock');
        violations.push({
          path: wide ? [...wide.path, 'cidr'] : rule.path,
          message: wide
            ? `${d} rule ${rule.index} allows ${wide.kind === 'ipBlock' ? wide.cidr.text : ''} on every port: all ${d} of the selected pods is allowed`
            : `${d} rule ${rule.index} has no ${d === 'ingress' ? 'from' : 'to'} and no ports: it allows all ${d} of the selected pods`,
        });
      }
    }
    return violations;
  },
};
