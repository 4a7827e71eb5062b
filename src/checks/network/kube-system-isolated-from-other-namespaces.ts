import { evaluatorFor, type Endpoint } from '../../analysis/netpol/evaluate.js';
import { netpolModel, type PodInfo } from '../../analysis/netpol/model.js';
import { DNS_LABELS, outsiderPod } from '../../analysis/netpol/patterns.js';
import { PortSet } from '../../analysis/netpol/ports.js';
import type { InventoryCheck, Violation } from '../types.js';
import { otherPoliciesSkip } from './workload-scope.js';

const DNS = PortSet.range('UDP', 53).union(PortSet.range('TCP', 53));
const ALL_BUT_DNS = PortSet.ALL.minus(DNS);

function describePorts(ports: PortSet): string {
  if (ports.isAll) return 'all ports';
  return ports === ALL_BUT_DNS ? 'all ports besides DNS' : ports.toString();
}
const SHOWN_SOURCES = 3;

export const kubeSystemIsolated: InventoryCheck = {
  id: 'kube-system-isolated-from-other-namespaces',
  title: 'kube-system pods cannot be reached from other namespaces (except DNS)',
  severity: 'high',
  category: 'network',
  controls: ['cis:5.3.2', 'nsa:N3'],
  rationale:
    'kube-system runs the cluster\'s own components (DNS, metrics-server, CNI and cloud controllers, admission webhooks). ' +
    'Nothing about the namespace is special to NetworkPolicy: unless policies isolate it, a compromised pod anywhere can ' +
    'talk to every one of them. Only DNS needs to be open to every namespace.',
  remediation:
    'Add a default-deny ingress policy in kube-system (podSelector: {}, policyTypes: [Ingress]) and allow only what the ' +
    'cluster needs: the DNS pods (k8s-app: kube-dns) on UDP and TCP 53 from all namespaces, webhook and metrics ports from ' +
    'the API server\'s addresses (ipBlock).',
  appliesTo: 'workloads in kube-system that do not use hostNetwork',
  scope: 'inventory',
  evaluate(inventory) {
    const model = netpolModel(inventory);
    const skip = otherPoliciesSkip(model);
    if (skip) return skip;
    const targets = model.workloads.filter((w) => w.namespace === 'kube-system' && !w.hostNetwork);
    if (targets.length === 0) return { skip: 'the input has no kube-system workload that NetworkPolicies could protect' };
    const evaluator = evaluatorFor(model);
    const sources: PodInfo[] = [outsiderPod(model), ...model.workloads.filter((w) => w.namespace !== 'kube-system')];
    const violations: Violation[] = [];
    for (const target of targets) {
      const isDns = target.labels['k8s-app'] === DNS_LABELS['k8s-app'];
      const dst: Endpoint = { kind: 'workload', workload: target };
      const open: string[] = [];
      for (const source of sources) {
        let ports = evaluator.ports({ kind: 'workload', workload: source }, dst).sure;
        if (isDns) ports = ports.minus(DNS);
        if (!ports.isEmpty) open.push(`${source.id} (${describePorts(ports)})`);
      }
      if (open.length === 0) continue;
      violations.push({
        object: target.object,
        path: [...target.pod.metaPath, 'labels'],
        message:
          `${target.id} can be reached from other namespaces: from ${open.slice(0, SHOWN_SOURCES).join(', ')}` +
          `${open.length > SHOWN_SOURCES ? ` and ${open.length - SHOWN_SOURCES} more` : ''}; ` +
          `isolate kube-system with a default-deny ingress policy${isDns ? ' and allow only UDP/TCP 53' : ''}`,
      });
    }
    return { evaluated: targets.length, violations };
  },
};
