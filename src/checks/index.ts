// The registry of every check. Each area keeps its own list; this file only joins them.

import type { Check, CheckMeta } from './types.js';
import { ETCD_PROBE_CHECK_CATALOG } from '../sources/etcd/result.js';
import { APISERVER_PROBE_CHECK_CATALOG } from '../sources/apiserver/result.js';
import { pssChecks } from './pss/index.js';
import { workloadChecks } from './workload/index.js';
import { rbacChecks } from './rbac/index.js';
import { networkChecks } from './network/index.js';
import { nodeChecks } from './node/index.js';
import { secretsChecks } from './secrets/index.js';
import { auditChecks } from './audit/index.js';
import { admissionChecks } from './admission/index.js';
import { clusterChecks } from './cluster/index.js';
import { configFileDecodes } from './controlplane/config-file-decodes.js';
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
  ...clusterChecks,
  configFileDecodes,
  ...reliabilityChecks,
];

/** Every check a scan runs, plus the checks of live probes (`etcd probe`, `probe apiserver`): what `checks list` and the docs show. */
export const CHECK_CATALOG: readonly CheckMeta[] = [...ALL_CHECKS, ...ETCD_PROBE_CHECK_CATALOG, ...APISERVER_PROBE_CHECK_CATALOG];

export function findCheck(id: string): CheckMeta | undefined {
  return CHECK_CATALOG.find((c) => c.id === id);
}
