// Two checks from one template: a namespace-wide default-deny per direction (CIS 5.3.2, NSA N3).

import { netpolModel } from '../../analysis/netpol/model.js';
import { isDefaultDeny, namespacesInScope } from '../../analysis/netpol/patterns.js';
import type { Direction } from '../../analysis/netpol/policy.js';
import type { InventoryCheck } from '../types.js';
import { otherPoliciesSkip } from './workload-scope.js';

const TYPE: Record<Direction, string> = { ingress: 'Ingress', egress: 'Egress' };

function defaultDenyCheck(direction: Direction): InventoryCheck {
  const type = TYPE[direction];
  return {
    id: `namespace-has-default-deny-${direction}`,
    title: `Every namespace has a default-deny ${direction} NetworkPolicy`,
    severity: 'medium',
    category: 'network',
    controls: ['cis:5.3.2', 'nsa:N3'],
    rationale:
      `Without a policy that selects every pod of a namespace for ${type}, a pod is ${direction === 'ingress' ? 'reachable from' : 'able to reach'} ` +
      'every pod in the cluster (and beyond) until someone remembers to write a policy for it. A default-deny makes new pods ' +
      'closed by default; allow rules then open only what is needed.',
    remediation:
      `Add a NetworkPolicy with podSelector: {} and policyTypes: [${type}] to the namespace, then allow what is needed ` +
      '(`kubeharden generate netpol --namespace NS` writes one, with DNS allowed and a proposed allow-list; ' +
      'with `--from-flows FILE`, allow rules for exactly the flows Hubble or Calico flow logs observed).',
    appliesTo: 'namespaces declared in the input or holding workloads',
    scope: 'inventory',
    examples: {
      pass: `kind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [${type}]`,
      fail: 'kind: Namespace\nmetadata: {name: shop}   # and no NetworkPolicy with podSelector: {} in it',
    },
    evaluate(inventory) {
      const model = netpolModel(inventory);
      const skip = otherPoliciesSkip(model);
      if (skip) return skip;
      const namespaces = namespacesInScope(model);
      const violations = namespaces
        .filter((ns) => !model.policiesIn(ns.name).some((p) => isDefaultDeny(p, direction)))
        .map((ns) => {
          const wide = model.policiesIn(ns.name).filter((p) => p.podSelector.matchesAll && p.types.has(direction));
          return {
            object: ns.object,
            path: ns.path,
            message: wide.length
              ? `namespace ${ns.name}: ${wide.map((p) => p.name).join(', ')} select every pod for ${type} but allow all of it; add a default-deny (podSelector: {}, policyTypes: [${type}]) and narrow the allow rules`
              : `namespace ${ns.name} has no default-deny ${direction} NetworkPolicy (podSelector: {}, policyTypes: [${type}])`,
          };
        });
      return { evaluated: namespaces.length, violations };
    },
  };
}

export const namespaceHasDefaultDenyIngress = defaultDenyCheck('ingress');
export const namespaceHasDefaultDenyEgress = defaultDenyCheck('egress');
