import type { Direction } from '../../analysis/netpol/policy.js';
import type { InventoryCheck } from '../types.js';
import { judgeWorkloads } from './workload-scope.js';

const DIRECTIONS: Direction[] = ['ingress', 'egress'];

export const podIsolatedByNetworkPolicy: InventoryCheck = {
  id: 'pod-isolated-by-network-policy',
  title: 'Every pod is isolated by NetworkPolicies for ingress and egress',
  severity: 'medium',
  category: 'network',
  controls: ['nsa:N4', 'cis:5.3.2'],
  rationale:
    'A pod that no NetworkPolicy selects for a direction accepts (or opens) connections to and from anything. ' +
    'Isolation is per pod: a policy elsewhere in the namespace that does not select it changes nothing.',
  remediation:
    'Select the pod with a NetworkPolicy for Ingress and one for Egress — usually a namespace-wide default-deny ' +
    '(podSelector: {}) plus narrow allow rules (`kubeharden generate netpol --namespace NS`, ' +
    'or with `--from-flows FILE` the rules for exactly the flows Hubble or Calico flow logs observed).',
  appliesTo: 'pods and pod templates of workloads',
  scope: 'inventory',
  examples: {
    pass: 'kind: NetworkPolicy\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]',
    fail: 'kind: Deployment   # in a namespace where no NetworkPolicy selects its pod labels',
  },
  evaluate(inventory) {
    return judgeWorkloads(inventory, (w, model) => {
      if (w.hostNetwork) {
        return [{
          path: [...w.pod.specPath, 'hostNetwork'],
          message: `${w.id} uses hostNetwork: NetworkPolicies may not apply to it (implementation-defined), so it cannot be relied on to be isolated`,
        }];
      }
      const open = DIRECTIONS.filter((d) => model.policiesSelecting(w, d).length === 0);
      if (open.length === 0) return [];
      return [{
        path: [...w.pod.metaPath, 'labels'],
        message: `no NetworkPolicy in namespace ${w.namespace} selects ${w.id} for ${open.join(' or ')}: all ${open.join(' and ')} traffic is allowed`,
      }];
    });
  },
};
