// What the reliability checks share: which workloads run continuously, their replica count as
// the controller reads it, and whether a label selector selects their pods.

import type { Inventory } from '../../inventory/inventory.js';
import { isMapping, type InventoryObject, type PodTarget } from '../../inventory/model.js';
import { parseLabelSelector } from '../../analysis/netpol/selector.js';

/** Controllers that keep pods running (Jobs and CronJobs run to completion). */
export const LONG_RUNNING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'CloneSet', 'Rollout'];
/** Of those, the ones with a replica count. */
export const REPLICATED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'CloneSet', 'Rollout'];

/** An object another controller owns (a Deployment's ReplicaSet, a controller's Pod) is judged through its owner. */
export function isOwned(obj: InventoryObject): boolean {
  const meta = obj.raw.metadata;
  return isMapping(meta) && Array.isArray(meta.ownerReferences) && meta.ownerReferences.some((r) => isMapping(r) && r.controller === true);
}

/** A pod that runs continuously: a long-running controller's template, or a bare Pod that restarts always. */
export function isLongRunningPod(pod: PodTarget): boolean {
  const obj = pod.object;
  if (isOwned(obj)) return false;
  if (obj.kind === 'Pod') return pod.spec.restartPolicy === undefined || pod.spec.restartPolicy === 'Always';
  return LONG_RUNNING_KINDS.includes(obj.kind);
}

/** The replica count the controller reads: spec.replicas, default 1. Undefined when it is not a number. */
export function replicasOf(obj: InventoryObject): number | undefined {
  const spec = obj.raw.spec;
  if (!isMapping(spec)) return undefined;
  if (spec.replicas === undefined || spec.replicas === null) return 1;
  return typeof spec.replicas === 'number' ? spec.replicas : undefined;
}

/** The autoscaler (HPA, KEDA ScaledObject) that sets this workload's replicas, if the input holds one. */
export function autoscalerOf(obj: InventoryObject, inventory: Inventory): { object: InventoryObject; minReplicas: number } | undefined {
  for (const kind of ['HorizontalPodAutoscaler', 'ScaledObject']) {
    for (const a of inventory.inNamespace(kind, obj.namespace)) {
      const spec = a.raw.spec;
      if (!isMapping(spec) || !isMapping(spec.scaleTargetRef)) continue;
      const ref = spec.scaleTargetRef;
      const refKind = ref.kind ?? (kind === 'ScaledObject' ? 'Deployment' : undefined);
      if (refKind !== obj.kind || ref.name !== obj.name) continue;
      const min = kind === 'ScaledObject' ? spec.minReplicaCount : spec.minReplicas;
      return { object: a, minReplicas: typeof min === 'number' ? min : kind === 'ScaledObject' ? 0 : 1 };
    }
  }
  return undefined;
}

/** The pod template's labels of a workload (its first template). */
export function templateLabels(obj: InventoryObject, inventory: Inventory): Record<string, string> | undefined {
  const pod = inventory.podsOf(obj)[0];
  const labels = pod?.meta.labels;
  return isMapping(labels) ? (labels as Record<string, string>) : undefined;
}

/**
 * A LabelSelector (matchLabels, matchExpressions) against labels, by the NetworkPolicy engine's
 * selector; a selector that does not parse selects nothing (the API server refuses it).
 */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isMapping(selector)) return false;
  const parsed = parseLabelSelector(selector, []);
  return 'selector' in parsed && parsed.selector.matches(labels);
}

/** A Service's plain map selector (`spec.selector: {app: web}`) against labels; no selector selects no pods. */
export function serviceSelects(service: InventoryObject, labels: Record<string, string>): boolean {
  const selector = selectorEntries(service);
  if (!selector) return false;
  for (const [k, v] of selector) if (labels[k] !== v) return false;
  return true;
}

/**
 * A Service's selector as [label, value as text] pairs, made once per Service (it is matched
 * against every pod template of its namespace); null when it selects nothing.
 */
const selectors = new WeakMap<InventoryObject, [string, string][] | null>();
function selectorEntries(service: InventoryObject): [string, string][] | null {
  let entries = selectors.get(service);
  if (entries === undefined) {
    const spec = service.raw.spec;
    entries = isMapping(spec) && isMapping(spec.selector) && Object.keys(spec.selector).length > 0
      ? Object.entries(spec.selector).map(([k, v]): [string, string] => [k, String(v)])
      : null;
    selectors.set(service, entries);
  }
  return entries;
}
