// The library entry points for a live cluster and for a snapshot of one: read, run every check.
// Live objects have no lines; findings point at `cluster://CONTEXT/RESOURCE` and the field path.

import { ALL_CHECKS } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import { nodeFacts } from '../analysis/cluster/facts.js';
import { readCluster, type ClusterInfo, type ClusterRead, type ClusterReadOptions } from '../sources/cluster/source.js';
import { readSnapshot } from '../sources/snapshot.js';
import type { Inventory } from '../inventory/inventory.js';
import type { Result } from '../result/result.js';
import { runChecks, type EngineOptions } from './run.js';
import { sortFindings } from './scan.js';
import { gatherNodeAudits, nodeAuditsFromInventory } from './node-audits.js';
import { NODE_AUDIT_NAMESPACE } from '../result/node-audit-record.js';
import { isMapping } from '../inventory/model.js';

export interface NodeAuditOptions {
  /** Where node audits are published (default kubeharden-node). */
  namespace?: string;
  maxAgeMs?: number;
}

type ScanReadOptions = EngineOptions & { checks?: readonly Check[]; nodeAudits?: NodeAuditOptions };

export interface ScanClusterOptions extends ScanReadOptions, ClusterReadOptions {}

export async function scanCluster(options: ScanClusterOptions = {}): Promise<Result> {
  return scanClusterRead(await readCluster(options), options);
}

/** Runs the checks on what a cluster read returned. */
export function scanClusterRead({ inventory, cluster }: ClusterRead, options: ScanReadOptions = {}, readAt = new Date()): Result {
  return scanRead(inventory, { type: 'cluster', ...describeCluster(cluster, inventory) }, options, readAt);
}

export async function scanSnapshot(file: string, options: ScanReadOptions = {}): Promise<Result> {
  const { inventory, cluster, createdAt } = await readSnapshot(file);
  // Node audits are judged as old as they were when the snapshot was taken, as the live scan judged them.
  const readAt = Number.isNaN(Date.parse(createdAt)) ? new Date() : new Date(createdAt);
  return scanRead(inventory, { type: 'snapshot', file, createdAt, ...describeCluster(cluster, inventory) }, options, readAt);
}

function scanRead(inventory: Inventory, target: Result['target'], options: ScanReadOptions, readAt: Date): Result {
  const { result } = runChecks(inventory, options.checks ?? ALL_CHECKS, target, options, { locate: false });
  sortFindings(result);
  gatherFromInventory(result, inventory, options, readAt);
  return result;
}

/** Folds in the node audits published in the cluster (ConfigMaps the scan listed with the rest). */
function gatherFromInventory(result: Result, inventory: Inventory, options: ScanReadOptions, readAt: Date): void {
  const namespace = options.nodeAudits?.namespace ?? NODE_AUDIT_NAMESPACE;
  const configMaps = inventory.unavailable.get('ConfigMap');
  if (configMaps) {
    // Said apart from the ConfigMap warning: node audits are not a check, and nothing else would tell.
    result.errors.push({ source: `node audits (ConfigMaps in ${namespace})`, message: `not gathered: ConfigMaps could not be read (${configMaps.reason})`, level: 'warning' });
    return;
  }
  const { audits, unreadable } = nodeAuditsFromInventory(inventory, namespace);
  if (audits.length === 0 && unreadable.length === 0) return;
  gatherNodeAudits(result, audits, {
    now: readAt,
    maxAgeMs: options.nodeAudits?.maxAgeMs,
    clusterNodes: inventory.unavailable.has('Node') ? undefined : inventory.ofKind('Node').map((n) => n.name),
    podNode: (f) => {
      const pod = inventory.find('Pod', f.resource.namespace, f.resource.name);
      const nodeName = isMapping(pod?.raw.spec) ? pod.raw.spec.nodeName : undefined;
      return typeof nodeName === 'string' ? nodeName : undefined;
    },
    unreadable,
    disabled: options.disabled,
    severityOverrides: options.severityOverrides,
    exceptions: options.exceptions,
    frameworks: options.frameworks,
  });
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
