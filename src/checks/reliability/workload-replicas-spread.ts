// kube-linter no-anti-affinity, kube-score deployment-has-host-podantiaffinity, Polaris
// topologySpreadConstraint: replicas spread over nodes, so one node's failure does not take
// them all.

import { isMapping } from '../../inventory/model.js';
import type { PodCheck } from '../types.js';
import { autoscalerOf, isOwned, replicasOf, REPLICATED_KINDS } from './shared.js';

export const workloadReplicasSpread: PodCheck = {
  id: 'workload-replicas-spread',
  title: 'Replicas are spread across nodes (pod anti-affinity or topology spread)',
  severity: 'low',
  category: 'reliability',
  controls: [],
  rationale: 'The scheduler may place every replica on one node; losing that node then loses the workload, however many replicas it has.',
  remediation: 'Add topologySpreadConstraints (topologyKey kubernetes.io/hostname or topology.kubernetes.io/zone, labelSelector of the pods) or a podAntiAffinity term on the same key.',
  appliesTo: 'pod templates of replicated workloads with more than one replica (or an autoscaler)',
  scope: 'pod',
  examples: {
    pass: 'kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  template:\n    spec:\n      topologySpreadConstraints:\n      - maxSkew: 1\n        topologyKey: kubernetes.io/hostname\n        whenUnsatisfiable: ScheduleAnyway\n        labelSelector: {matchLabels: {app: web}}',
    fail: 'kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3   # no affinity, no topologySpreadConstraints',
  },
  evaluate(pod, ctx) {
    const obj = pod.object;
    if (!REPLICATED_KINDS.includes(obj.kind) || isOwned(obj)) return [];
    const replicas = autoscalerOf(obj, ctx.inventory)?.minReplicas ?? replicasOf(obj);
    if (replicas === undefined || replicas < 2) return [];
    const spread = pod.spec.topologySpreadConstraints;
    if (Array.isArray(spread) && spread.length > 0) return [];
    const affinity = pod.spec.affinity;
    const anti = isMapping(affinity) ? affinity.podAntiAffinity : undefined;
    if (isMapping(anti) && Object.values(anti).some((terms) => Array.isArray(terms) && terms.length > 0)) return [];
    return [{ path: [...pod.specPath, 'topologySpreadConstraints'], message: `${replicas} replicas with neither topologySpreadConstraints nor podAntiAffinity: they may all land on one node` }];
  },
};
