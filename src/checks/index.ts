// The registry of every check. Each area keeps its own list; this file only joins them.

import type { Check, CheckMeta } from './types.js';
import { PROBE_CHECK_CATALOG } from './probes/index.js';
import { pssChecks } from './pod-security/index.js';
import { workloadChecks } from './workload/index.js';
import { rbacChecks } from './rbac/index.js';
import { networkChecks } from './network/index.js';
import { secretsChecks } from './secrets/index.js';
import { auditChecks } from './audit/index.js';
import { admissionChecks } from './admission/index.js';
import { apiServerVersionChecks, configFileChecks } from './controlplane/index.js';
import { kubeletVersionChecks, nodeChecks, providerNodeChecks } from './node/index.js';
import { reliabilityChecks } from './reliability/index.js';

export const ALL_CHECKS: readonly Check[] = [
  ...pssChecks,
  ...workloadChecks,
  ...rbacChecks,
  ...networkChecks,
  ...nodeChecks,
  ...secretsChecks,
  ...auditChecks,
  ...admissionChecks,
  ...apiServerVersionChecks,
  ...kubeletVersionChecks,
  ...configFileChecks,
  ...reliabilityChecks,
];

/**
 * Every check a scan runs, plus the checks of live probes (`etcd probe`, `probe apiserver`) and
 * of the provider benchmarks a node audit runs on EKS, GKE and AKS workers: what `checks list`
 * and the docs show.
 */
export const CHECK_CATALOG: readonly CheckMeta[] = [...ALL_CHECKS, ...providerNodeChecks, ...PROBE_CHECK_CATALOG];

export function findCheck(id: string): CheckMeta | undefined {
  return CHECK_CATALOG.find((c) => c.id === id);
}
