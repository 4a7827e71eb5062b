// Shared by the per-namespace checks: which Namespace objects of the input hold workloads, and
// asking each of them for a policy object (LimitRange, ResourceQuota).

import type { Inventory } from '../../inventory/inventory.js';
import { describeObject, type InventoryObject } from '../../inventory/model.js';
import type { InventoryOutcome, Violation } from '../types.js';

/** Namespaces Kubernetes runs itself; the hardening guides ask for bounds on user namespaces. */
export const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/**
 * The user Namespace objects of the input that hold at least one pod-bearing object of the input,
 * or the reason there are none to judge.
 */
function userNamespacesWithWorkloads(inventory: Inventory): InventoryObject[] | { skip: string } {
  const namespaces = inventory.ofKind('Namespace');
  if (namespaces.length === 0) {
    return { skip: 'the input has no Namespace objects, so which namespaces lack them cannot be told' };
  }
  const withWorkloads = new Set(inventory.pods.map((p) => p.object.namespace).filter((ns) => ns !== undefined));
  const judged = namespaces.filter((ns) => withWorkloads.has(ns.name) && !SYSTEM_NAMESPACES.has(ns.name));
  if (judged.length === 0) {
    return { skip: 'no user Namespace in the input holds a workload of the input (workloads must set metadata.namespace)' };
  }
  return judged;
}

/**
 * Runs `missing(namespace)` for each user Namespace with workloads; a returned sentence becomes a
 * violation on the Namespace object.
 */
export function evaluateNamespaces(inventory: Inventory, missing: (namespace: string) => string | undefined): InventoryOutcome {
  const namespaces = userNamespacesWithWorkloads(inventory);
  if (!Array.isArray(namespaces)) return namespaces;
  const violations: Violation[] = [];
  for (const ns of namespaces) {
    const what = missing(ns.name);
    if (what) violations.push({ object: ns, path: ['metadata', 'name'], message: `${describeObject(ns)} holds workloads but ${what}` });
  }
  return { evaluated: namespaces.length, violations };
}
