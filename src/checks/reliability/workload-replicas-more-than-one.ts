// Polaris deploymentMissingReplicas, kube-linter minimum-three-replicas (off by default there):
// one replica means every rollout, eviction or node drain is an outage.

import type { ObjectCheck } from '../types.js';
import { REPLICATED_KINDS, autoscalerOf, isOwned, replicasOf } from './shared.js';

export const workloadReplicasMoreThanOne: ObjectCheck = {
  id: 'workload-replicas-more-than-one',
  title: 'Replicated workloads run more than one replica',
  severity: 'low',
  category: 'reliability',
  controls: [],
  rationale: 'With a single replica every node drain, eviction or crash takes the workload down until a new pod is scheduled and ready.',
  remediation: 'Set spec.replicas to 2 or more (or an autoscaler\'s minReplicas), and spread the replicas across nodes.',
  appliesTo: 'Deployments, StatefulSets, ReplicaSets and ReplicationControllers not owned by another controller, DeploymentConfigs, CloneSets and Rollouts; an autoscaler of the input that targets one decides instead',
  scope: 'object',
  kinds: REPLICATED_KINDS,
  examples: { pass: 'spec:\n  replicas: 3', fail: 'spec:\n  replicas: 1' },
  evaluate(obj, ctx) {
    if (isOwned(obj)) return [];
    const autoscaler = autoscalerOf(obj, ctx.inventory);
    if (autoscaler) return []; // the autoscaler's own minimum is judged by hpa-scales-safely
    const replicas = replicasOf(obj);
    // 0 is a deliberate scale-down; a non-number is an input problem reported elsewhere.
    if (replicas === undefined || replicas === 0 || replicas > 1) return [];
    return [{ path: ['spec', 'replicas'], message: obj.raw.spec && (obj.raw.spec as Record<string, unknown>).replicas === undefined ? 'replicas is not set, so it runs 1 replica' : 'runs 1 replica' }];
  },
};
