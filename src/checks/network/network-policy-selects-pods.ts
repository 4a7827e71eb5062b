import { netpolModel } from '../../analysis/netpol/model.js';
import type { InventoryCheck, Violation } from '../types.js';

export const networkPolicySelectsPods: InventoryCheck = {
  id: 'network-policy-selects-pods',
  title: 'NetworkPolicies select at least one pod',
  severity: 'medium',
  category: 'network',
  controls: ['cis:5.3.2'],
  rationale:
    'A policy whose podSelector matches no pod protects nothing — usually a typo in a label key or value. The pods it ' +
    'was written for stay open, and the policy looks like protection in reviews.',
  remediation: 'Correct spec.podSelector to the labels of the pod template it is meant for (kubectl get pods --show-labels).',
  appliesTo: 'NetworkPolicies in namespaces whose workloads are in the input',
  scope: 'inventory',
  evaluate(inventory) {
    const model = netpolModel(inventory);
    const withWorkloads = new Set(model.workloads.map((w) => w.namespace));
    // Without the namespace's workloads in the input, an empty selection proves nothing.
    const policies = model.policies.filter((p) => withWorkloads.has(p.namespace));
    if (policies.length === 0) return { skip: 'no NetworkPolicy in a namespace whose workloads are in the input' };
    const violations: Violation[] = policies
      .filter((p) => model.selectedBy(p).length === 0)
      .map((p) => ({
        object: p.object,
        path: ['spec', 'podSelector'],
        message: `spec.podSelector (${p.podSelector.text}) matches no pod in namespace ${p.namespace}; check the labels for a typo`,
      }));
    return { evaluated: policies.length, violations };
  },
};
