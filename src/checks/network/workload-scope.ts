// What the reachability checks share: they can only judge Kubernetes NetworkPolicies, so when
// the input also holds policies of other APIs (Calico, Cilium, AdminNetworkPolicy) that may
// allow or deny the same traffic, they say so and skip rather than guess.

import type { Inventory } from '../../inventory/inventory.js';
import { netpolModel, type NetpolModel, type Workload } from '../../analysis/netpol/model.js';
import type { InventoryOutcome, Violation } from '../types.js';
import { countObjects } from '../../inventory/model.js';

export function otherPoliciesSkip(model: NetpolModel): { skip: string } | undefined {
  if (model.otherPolicies.length === 0) return undefined;
  const kinds = [...new Set(model.otherPolicies.map((o) => `${o.kind} (${o.apiVersion})`))].join(', ');
  return { skip: `the input has policies of other APIs that can also allow or deny traffic (${kinds}); only networking.k8s.io NetworkPolicies are evaluated` };
}

/** Judges every workload; the violations point into the workload's object. */
export function judgeWorkloads(inventory: Inventory, judge: (w: Workload, model: NetpolModel) => Omit<Violation, 'object'>[]): InventoryOutcome {
  const model = netpolModel(inventory);
  const skip = otherPoliciesSkip(model);
  if (skip) return skip;
  const violations = model.workloads.flatMap((w) => judge(w, model).map((v) => ({ ...v, object: w.object })));
  return { evaluated: countObjects(model.workloads), violations };
}
