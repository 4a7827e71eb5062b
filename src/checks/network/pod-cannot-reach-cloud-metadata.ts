import { evaluatorFor } from '../../analysis/netpol/evaluate.js';
import { CLOUD_METADATA_IP } from '../../analysis/netpol/patterns.js';
import type { InventoryCheck } from '../types.js';
import { judgeWorkloads } from './workload-scope.js';

export const podCannotReachCloudMetadata: InventoryCheck = {
  id: 'pod-cannot-reach-cloud-metadata',
  title: 'Pods cannot reach the cloud metadata address 169.254.169.254',
  severity: 'medium',
  category: 'network',
  controls: ['nsa:N15'],
  rationale:
    'On cloud providers the instance metadata service at 169.254.169.254 hands out the node\'s credentials. A pod that ' +
    'can reach it can often act as the node in the cloud account.',
  remediation:
    'Isolate the pod for Egress and allow only what it needs; if it needs the internet, use an ipBlock such as ' +
    '{cidr: 0.0.0.0/0, except: [169.254.169.254/32]}. The provider\'s metadata concealment (or IMDSv2 with a hop limit of 1) ' +
    'is a second layer this scan cannot see.',
  appliesTo: 'pods and pod templates of workloads',
  scope: 'inventory',
  examples: {
    pass: 'egress:\n- to:\n  - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}',
    fail: 'egress:\n- {}   # or no egress policy selecting the pod',
  },
  evaluate(inventory) {
    return judgeWorkloads(inventory, (w, model) => {
      if (w.hostNetwork) {
        return [{ path: [...w.pod.specPath, 'hostNetwork'], message: `${w.id} uses hostNetwork: NetworkPolicies cannot keep it from 169.254.169.254; block it at the node or cloud level` }];
      }
      const metadata = { kind: 'ip' as const, ip: CLOUD_METADATA_IP };
      const egress = evaluatorFor(model).side('egress', { kind: 'workload', workload: w }, metadata, metadata, false);
      if (egress.sure.isEmpty) return [];
      const by = egress.policies.length ? `its egress policies (${egress.policies.map((p) => p.name).join(', ')}) allow it` : 'no egress policy selects it';
      return [{
        path: [...w.pod.metaPath, 'labels'],
        message: `${w.id} can reach the cloud metadata address 169.254.169.254 (${egress.sure.toString()}): ${by}`,
      }];
    });
  },
};
