// The library entry points for a live cluster and for a snapshot of one: read, run every check.
// Live objects have no lines; findings point at `cluster://CONTEXT/RESOURCE` and the field path.

import { ALL_CHECKS } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import { nodeFacts } from '../analysis/cluster/facts.js';
import { readCluster, type ClusterInfo, type ClusterRead, type ClusterReadOptions } from '../sources/cluster/source.js';
import { readSnapshot } from '../sources/snapshot.js';
import type { Inventory } from '../inventory/inventory.js';
import type { Result } from './result.js';
import { runChecks, type EngineOptions } from './run.js';
import { sortFindings } from './scan.js';

export interface ScanClusterOptions extends EngineOptions, ClusterReadOptions {
  checks?: readonly Check[];
}

export async function scanCluster(options: ScanClusterOptions = {}): Promise<Result> {
  return scanClusterRead(await readCluster(options), options);
}

/** Runs the checks on what a cluster read returned. */
export function scanClusterRead({ inventory, cluster }: ClusterRead, options: EngineOptions & { checks?: readonly Check[] } = {}): Result {
  return scanRead(inventory, { type: 'cluster', ...describeCluster(cluster, inventory) }, options);
}

export async function scanSnapshot(file: string, options: EngineOptions & { checks?: readonly Check[] } = {}): Promise<Result> {
  const { inventory, cluster, createdAt } = await readSnapshot(file);
  return scanRead(inventory, { type: 'snapshot', file, createdAt, ...describeCluster(cluster, inventory) }, options);
}

function scanRead(inventory: Inventory, target: Result['target'], options: EngineOptions & { checks?: readonly Check[] }): Result {
  const { result } = runChecks(inventory, options.checks ?? ALL_CHECKS, target, options);
  sortFindings(result);
  return result;
}

function describeCluster(cluster: ClusterInfo, inventory: Inventory): Record<string, unknown> {
  return {
    context: cluster.context,
    server: cluster.server,
    ...(cluster.namespace !== undefined ? { namespace: cluster.namespace } : {}),
    ...(cluster.version ? { serverVersion: cluster.version.gitVersion } : {}),
    resources: cluster.objects,
    ...(Object.keys(cluster.ownedByScannedControllers).length ? { ownedByScannedControllers: cluster.ownedByScannedControllers } : {}),
    unavailable: cluster.unavailable,
    ...(inventory.unavailable.has('Node') ? {} : nodeFacts(inventory)),
  };
}
