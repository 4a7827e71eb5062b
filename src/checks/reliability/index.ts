import type { Check } from '../types.js';
import { containerLivenessProbeSet } from './container-liveness-probe-set.js';
import { serviceBackendsHaveReadinessProbe } from './service-backends-have-readiness-probe.js';
import { workloadReplicasMoreThanOne } from './workload-replicas-more-than-one.js';
import { workloadHasPodDisruptionBudget } from './workload-has-pod-disruption-budget.js';
import { workloadReplicasSpread } from './workload-replicas-spread.js';
import { hpaScalesSafely } from './hpa-scales-safely.js';
import { podServiceAccountExists } from './pod-service-account-exists.js';
import { serviceSelectsPods } from './service-selects-pods.js';
import { ingressBackendExists } from './ingress-backend-exists.js';
import { hpaTargetExists } from './hpa-target-exists.js';

/**
 * The reliability category: availability, not security. No check maps to a framework, so none
 * counts in a compliance score; `checks.disableCategories: [reliability]` turns them all off.
 */
export const reliabilityChecks: Check[] = [
  containerLivenessProbeSet,
  serviceBackendsHaveReadinessProbe,
  workloadReplicasMoreThanOne,
  workloadHasPodDisruptionBudget,
  workloadReplicasSpread,
  hpaScalesSafely,
  podServiceAccountExists,
  serviceSelectsPods,
  ingressBackendExists,
  hpaTargetExists,
];
