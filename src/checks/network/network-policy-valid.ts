import { netpolModel } from '../../analysis/netpol/model.js';
import type { ObjectCheck } from '../types.js';

export const networkPolicyValid: ObjectCheck = {
  id: 'network-policy-valid',
  title: 'NetworkPolicies are valid, so the API server accepts them',
  severity: 'high',
  category: 'network',
  controls: ['cis:5.3.2', 'nsa:N3'],
  rationale:
    'The API server rejects a NetworkPolicy with an invalid CIDR, an unknown protocol, a bad selector operator or an ' +
    'empty peer. The isolation it was meant to give never exists, and the rest of the namespace stays open.',
  remediation: 'Correct the field the message names; `kubectl apply --dry-run=server` shows the same error.',
  appliesTo: 'NetworkPolicy objects (networking.k8s.io; extensions/v1beta1 is reported as no longer served)',
  scope: 'object',
  kinds: ['NetworkPolicy'],
  examples: {
    pass: 'ingress:\n- from:\n  - ipBlock: {cidr: 203.0.113.0/24}',
    fail: 'ingress:\n- from:\n  - ipBlock: {cidr: 203.0.113.0/33}',
  },
  evaluate(obj, ctx) {
    const invalid = netpolModel(ctx.inventory).invalidPolicies.find((p) => p.object === obj);
    return (invalid?.problems ?? []).map((p) => ({ path: p.path, message: `${p.message}; the API server rejects this policy` }));
  },
};
