// Polaris missingPodDisruptionBudget, kube-score deployment-has-poddisruptionbudget: a workload
// that runs several replicas has a PodDisruptionBudget, so a node drain keeps some of them up.
// Judged against the PodDisruptionBudgets of the input: scan them together.

import type { ObjectCheck } from '../types.js';
import { REPLICATED_KINDS, autoscalerOf, isOwned, replicasOf, selectorMatches, templateLabels } from './shared.js';

export const workloadHasPodDisruptionBudget: ObjectCheck = {
  id: 'workload-has-pod-disruption-budget',
  title: 'Workloads with several replicas are covered by a PodDisruptionBudget',
  severity: 'low',
  category: 'reliability',
  controls: [],
  rationale: 'A node drain (an upgrade, autoscaler scale-down) evicts pods without limit unless a PodDisruptionBudget says how many must stay up.',
  remediation: 'Add a PodDisruptionBudget in the same namespace whose selector matches the pod template labels, with maxUnavailable: 1 (or a minAvailable below the replica count).',
  appliesTo: 'replicated workloads with more than one replica (or an autoscaler), against the PodDisruptionBudgets of the input',
  scope: 'object',
  kinds: REPLICATED_KINDS,
  needs: ['PodDisruptionBudget'],
  examples: {
    pass: 'kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  template:\n    metadata: {labels: {app: web}}\n---\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}',
    fail: 'kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3   # no PodDisruptionBudget selects app=web\n  template:\n    metadata: {labels: {app: web}}',
  },
  evaluate(obj, ctx) {
    if (isOwned(obj)) return [];
    const replicas = autoscalerOf(obj, ctx.inventory)?.minReplicas ?? replicasOf(obj);
    if (replicas === undefined || replicas < 2) return [];
    const labels = templateLabels(obj, ctx.inventory);
    if (!labels) return [];
    const pdbs = ctx.inventory.inNamespace('PodDisruptionBudget', obj.namespace);
    if (pdbs.some((p) => selectorMatches((p.raw.spec as Record<string, unknown> | undefined)?.selector, labels))) return [];
    return [{ path: ['spec', 'template', 'metadata', 'labels'], message: `no PodDisruptionBudget of the input selects its pods, so a node drain may evict all ${replicas} replicas at once` }];
  },
};
