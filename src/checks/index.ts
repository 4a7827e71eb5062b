// The registry of every check. Each area keeps its own list; this file only joins them.

import type { Check } from './types.js';
import { pssChecks } from './pss/index.js';
import { workloadChecks } from './workload/index.js';
import { rbacChecks } from './rbac/index.js';
import { networkChecks } from './network/index.js';
import { nodeChecks } from './node/index.js';
import { secretsChecks } from './secrets/index.js';
import { clusterChecks } from './cluster/index.js';

export const ALL_CHECKS: readonly Check[] = [...pssChecks, ...workloadChecks, ...rbacChecks, ...networkChecks, ...nodeChecks, ...secretsChecks, ...clusterChecks];

export function findCheck(id: string): Check | undefined {
  return ALL_CHECKS.find((c) => c.id === id);
}
