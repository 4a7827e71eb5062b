// What `scan` and `collect` share for live clusters and snapshots: the connection flags, the
// progress line, and telling a snapshot file apart from manifests.

import { Command } from 'commander';
import type { Result } from '../../result/result.js';
import type { EngineOptions } from '../../engine/run.js';
import { scanCluster, scanSnapshot } from '../../engine/scan-cluster.js';
import type { ClusterProgress, ClusterReadOptions } from '../../sources/cluster/source.js';
import { isSnapshotFile } from '../../sources/snapshot.js';
import { UsageError } from '../usage-error.js';
import { parseSeconds } from '../option-values.js';

export interface ClusterFlags {
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  requestTimeout?: number;
}

/** Adds --cluster, --context, --kubeconfig, --namespace and --request-timeout. */
export function addClusterOptions(command: Command): Command {
  return command
    .option('--cluster', 'read the live cluster of the kubeconfig (or the in-cluster ServiceAccount)')
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('-n, --namespace <namespace>', 'read namespaced resources of this namespace only')
    .option('--request-timeout <seconds>', 'give up on an API request after this long (default: 60)', parseSeconds);
}

export function clusterReadOptions(flags: ClusterFlags): ClusterReadOptions {
  if (!flags.cluster && (flags.context ?? flags.kubeconfig ?? flags.namespace) !== undefined) {
    throw new UsageError('--context, --kubeconfig and --namespace go with --cluster');
  }
  return {
    context: flags.context,
    kubeconfig: flags.kubeconfig,
    namespace: flags.namespace,
    requestTimeoutMs: flags.requestTimeout !== undefined ? flags.requestTimeout * 1000 : undefined,
    onProgress: progressLine(),
  };
}

/**
 * The Result of a live scan (--cluster) or of a snapshot file, or undefined when the paths are
 * manifests.
 */
export async function scanClusterOrSnapshot(
  paths: string[],
  explicitPaths: boolean,
  flags: ClusterFlags,
  engine: EngineOptions,
): Promise<Result | undefined> {
  const read = clusterReadOptions(flags);
  if (flags.cluster) {
    if (explicitPaths) throw new UsageError('give either --cluster or paths to scan, not both');
    return scanCluster({ ...engine, ...read });
  }
  const snapshots = [];
  for (const p of paths) if (p !== '-' && (await isSnapshotFile(p))) snapshots.push(p);
  if (snapshots.length === 0) return undefined;
  if (paths.length > 1) throw new UsageError(`${snapshots[0]} is a snapshot; scan a snapshot on its own`);
  return scanSnapshot(snapshots[0]!, engine);
}

/** "reading cluster: 12/25 resources, 3400 objects" on stderr, only when stderr is a terminal. */
function progressLine(): ((p: ClusterProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    const line = `reading cluster: ${p.resourcesDone}/${p.resourcesTotal} resources, ${p.objects} objects (${p.resource})`;
    process.stderr.write(p.resourcesDone === p.resourcesTotal ? '\r\x1b[K' : `\r\x1b[K${line}`);
  };
}
