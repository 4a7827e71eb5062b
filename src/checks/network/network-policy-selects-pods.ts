import { netpolModel, type Workload } from '../../analysis/netpol/model.js';
import type { NetworkPolicy } from '../../analysis/netpol/policy.js';
import { isMapping, jsonPointer, type PathSegment } from '../../inventory/model.js';
import type { InventoryCheck, Violation } from '../types.js';
import { isNearMiss as close } from '../../analysis/near-miss.js';

export const networkPolicySelectsPods: InventoryCheck = {
  id: 'network-policy-selects-pods',
  title: 'NetworkPolicies select the pods they were written for (no typo in a label)',
  severity: 'medium',
  category: 'network',
  controls: ['cis:5.3.2'],
  rationale:
    'A policy whose podSelector matches no pod protects nothing — often a typo in a label key or value. The pods it ' +
    'was written for stay open, and the policy looks like protection in reviews.',
  remediation: 'Correct spec.podSelector to the labels of the pod template it is meant for (kubectl get pods --show-labels).',
  appliesTo:
    'NetworkPolicies in namespaces whose workloads are in the input. A policy that selects none of them is reported when one of ' +
    'its labels is a near miss of a label those workloads carry; otherwise its pods may come from an operator, and it is not judged',
  scope: 'inventory',
  evaluate(inventory) {
    const model = netpolModel(inventory);
    const byNamespace = new Map<string, Workload[]>();
    for (const w of model.workloads) byNamespace.set(w.namespace, [...(byNamespace.get(w.namespace) ?? []), w]);
    let evaluated = 0;
    let unjudged = 0;
    const violations: Violation[] = [];
    for (const policy of model.policies) {
      const workloads = byNamespace.get(policy.namespace);
      if (!workloads) continue;
      if (model.selectedBy(policy).length) {
        evaluated++;
        continue;
      }
      const miss = nearMiss(policy, workloads);
      if (!miss) {
        unjudged++;
        continue;
      }
      evaluated++;
      violations.push({
        object: policy.object,
        path: miss.path,
        message:
          `spec.podSelector (${policy.podSelector.text}) matches no pod in namespace ${policy.namespace}; ` +
          `did you mean ${miss.wanted} (as on ${miss.workload.id})?`,
        fix: miss.fix,
      });
    }
    if (evaluated === 0) {
      return {
        skip: unjudged
          ? `${unjudged} NetworkPolicy(ies) select no workload of the input, but no label is a near miss: their pods may be created by an operator`
          : 'no NetworkPolicy in a namespace whose workloads are in the input',
      };
    }
    return { evaluated, violations };
  },
};

interface NearMiss {
  path: PathSegment[];
  wanted: string;
  workload: Workload;
  fix: Violation['fix'];
}

/** A matchLabels pair no workload has, close (by two edits or case) to a label one of them has. */
function nearMiss(policy: NetworkPolicy, workloads: Workload[]): NearMiss | undefined {
  const spec = policy.object.raw.spec;
  const selector = isMapping(spec) ? spec.podSelector : undefined;
  const matchLabels = isMapping(selector) && isMapping(selector.matchLabels) ? selector.matchLabels : {};
  for (const [key, raw] of Object.entries(matchLabels)) {
    const value = String(raw);
    if (workloads.some((w) => w.labels[key] === value)) continue;
    const path: PathSegment[] = ['spec', 'podSelector', 'matchLabels', key];
    for (const w of workloads) {
      for (const [k, v] of Object.entries(w.labels)) {
        if (k === key && close(v, value)) {
          return { path, wanted: `${key}=${v}`, workload: w, fix: [{ op: 'replace', path: jsonPointer(path), value: v }] };
        }
        if (v === value && k !== key && close(k, key)) {
          return {
            path,
            wanted: `${k}=${v}`,
            workload: w,
            fix: [{ op: 'remove', path: jsonPointer(path) }, { op: 'add', path: jsonPointer(['spec', 'podSelector', 'matchLabels', k]), value: v }],
          };
        }
      }
    }
  }
  return undefined;
}

