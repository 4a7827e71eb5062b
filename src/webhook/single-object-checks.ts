// The checks an admission webhook can decide from the one object it is shown. A webhook sees a
// single object per request, never the rest of the cluster, so only checks that look at one pod
// spec alone give the same answer there as in a scan. Every other check is left out on purpose:
// a check that would need other objects cannot decide, and a webhook that denies on a guess
// would refuse good workloads.

import { ALL_CHECKS } from '../checks/index.js';
import type { Check } from '../checks/types.js';

/**
 * Pod checks that read other objects of the inventory, with why the webhook cannot run them.
 * test/webhook/single-object-checks.test.ts proves that every other pod check reads nothing
 * but its own object, so a new check that looks elsewhere is caught there.
 */
export const NEEDS_OTHER_OBJECTS: Readonly<Record<string, string>> = {
  'pod-service-account-token-not-automounted':
    "when the pod does not set automountServiceAccountToken, its ServiceAccount's setting decides, and the ServiceAccount is not part of the request",
  'pod-service-account-exists': 'it compares the ServiceAccount name with the ServiceAccounts of the namespace, which are not part of the request',
  'service-backends-have-readiness-probe': 'only pods a Service selects need a readiness probe, and Services are not part of the request',
  'workload-replicas-spread': 'an autoscaler that targets the workload decides its replica count, and autoscalers are not part of the request',
};

/**
 * Kinds of checks the webhook never runs, in plain words (for --help, the README and tests):
 * object checks judge non-pod kinds (RBAC, NetworkPolicy, webhooks, Namespaces) and inventory
 * checks relate objects to each other (NetworkPolicy isolation and reachability, ResourceQuota
 * and LimitRange per namespace, RBAC paths, untrusted workloads' RuntimeClasses).
 */
export const NOT_RUN_BY_WEBHOOK =
  'checks that need other objects: NetworkPolicy isolation and reachability, ServiceAccount lookups, ' +
  'ResourceQuota/LimitRange per namespace, RBAC, sandboxing of untrusted workloads, node and control-plane checks';

function singleObjectChecks(checks: readonly Check[] = ALL_CHECKS): Check[] {
  return checks.filter((c) => c.scope === 'pod' && !(c.id in NEEDS_OTHER_OBJECTS));
}

export const SINGLE_OBJECT_CHECKS: readonly Check[] = singleObjectChecks();
