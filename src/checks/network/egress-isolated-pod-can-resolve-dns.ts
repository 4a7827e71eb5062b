import { evaluatorFor, type Endpoint } from '../../analysis/netpol/evaluate.js';
import { NODE_LOCAL_DNS_IP, dnsPods } from '../../analysis/netpol/patterns.js';
import type { InventoryCheck } from '../types.js';
import { judgeWorkloads } from './workload-scope.js';

export const egressIsolatedPodCanResolveDns: InventoryCheck = {
  id: 'egress-isolated-pod-can-resolve-dns',
  title: 'Pods isolated for egress can still reach the cluster DNS',
  severity: 'medium',
  category: 'network',
  controls: ['nsa:N3'],
  rationale:
    'An egress default-deny also blocks DNS. The pods then cannot resolve any name, and the usual "fix" under pressure ' +
    'is to delete the default-deny. Allowing DNS is part of a working default-deny.',
  remediation:
    'Add an egress rule to the pods: to [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, ' +
    'podSelector: {matchLabels: {k8s-app: kube-dns}}}] on UDP 53 and TCP 53.',
  appliesTo: 'pods and pod templates selected by an egress NetworkPolicy',
  scope: 'inventory',
  examples: {
    pass: 'egress:\n- to:\n  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n    podSelector: {matchLabels: {k8s-app: kube-dns}}\n  ports:\n  - {protocol: UDP, port: 53}\n  - {protocol: TCP, port: 53}',
    fail: 'spec:\n  podSelector: {}\n  policyTypes: [Egress]   # and nothing allows DNS',
  },
  evaluate(inventory) {
    return judgeWorkloads(inventory, (w, model) => {
      if (w.hostNetwork) return [];
      const policies = model.policiesSelecting(w, 'egress');
      if (policies.length === 0) return [];
      const evaluator = evaluatorFor(model);
      const self: Endpoint = { kind: 'workload', workload: w };
      const nodeLocal: Endpoint = { kind: 'ip', ip: NODE_LOCAL_DNS_IP };
      const targets: Endpoint[] = [...dnsPods(model).map((d): Endpoint => ({ kind: 'workload', workload: d })), nodeLocal];
      // `possible`: a rule that may allow DNS (an ipBlock against pods of unknown IP) is not reported.
      const canResolve = targets.some((t) => evaluator.side('egress', self, t, t, false).possible.has('UDP', 53));
      if (canResolve) return [];
      return [{
        path: [...w.pod.metaPath, 'labels'],
        message: `${w.id} is isolated for egress by ${policies.map((p) => p.name).join(', ')} and no rule allows UDP 53 to the cluster DNS: it cannot resolve names`,
      }];
    });
  },
};
