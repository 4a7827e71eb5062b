// `kubeharden scan --node`: the node audit behind the scan command. With --publish the Result
// is also stored in the cluster for the cluster scan to gather; with --every the audit repeats
// (the DaemonSet in deploy/ runs it so, one pod per node).

import { engineOptionsFrom } from '../engine-options.js';
import os from 'node:os';
import { benchmarkOf, benchmarkTarget } from '../../engine/node-benchmark.js';
import type { LoadedConfig } from '../../engine/config.js';
import { runNodeChecks } from '../../engine/node-run.js';
import type { Result } from '../../result/result.js';
import { renderNodeTable } from '../../report/node-table.js';
import { ClusterSourceError } from '../../sources/cluster/kubeconfig.js';
import { publishNodeAudit } from '../../publish/node-audit.js';
import { collectNodeFacts, NodeSourceError } from '../../sources/node/collect.js';
import { EXIT_USAGE, exitCodeFor, renderResult, resolveFormat, useColor, writeReport, type FailOn } from '../output.js';
import { UsageError } from '../usage-error.js';

export interface NodeScanFlags {
  root?: string;
  proc?: string;
  benchmark?: string;
  format?: string;
  output?: string;
  failOn: FailOn;
  framework: string;
  nodeName?: string;
  publish?: boolean;
  publishNamespace?: string;
  every?: number;
  kubeconfig?: string;
  context?: string;
  requestTimeout?: number;
}

/** `30m`, `24h`, `7d`, `90s` → milliseconds. */
function formatInterval(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} seconds`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} minutes`;
  return `${Math.round((ms / 3_600_000) * 10) / 10} hours`;
}

/** The node's name: --node-name, else $NODE_NAME (the downward API in deploy/), else the host name. */
export function nodeName(flags: Pick<NodeScanFlags, 'nodeName'>, env: NodeJS.ProcessEnv = process.env): string {
  return flags.nodeName ?? (env.NODE_NAME || os.hostname());
}

export async function scanNode(flags: NodeScanFlags, config: LoadedConfig): Promise<number> {
  if (flags.publishNamespace !== undefined && !flags.publish) throw new UsageError('--publish-namespace goes with --publish');
  if (flags.every !== undefined && !flags.publish && !flags.output) {
    throw new UsageError('--every repeats the audit for --publish (or -o FILE); without either its results would only scroll by');
  }
  const node = nodeName(flags);
  if (flags.every === undefined) return auditOnce(flags, config, node);
  // Repeating: a round whose publication failed is reported on stderr and retried next time, so
  // a node whose API server is briefly away is audited again rather than left in a crash loop.
  // Anything else (a wrong --root) will not mend itself: it ends the command.
  for (;;) {
    const code = await auditOnce(flags, config, node).catch((err: Error) => {
      if (!(err instanceof PublishError)) throw err;
      process.stderr.write(`kubeharden: ${err.message}\n`);
      return EXIT_USAGE;
    });
    process.stderr.write(`kubeharden: node ${node} audited (exit ${code}); next audit in ${formatInterval(flags.every)}\n`);
    await new Promise((resolve) => setTimeout(resolve, flags.every));
  }
}

export const PROCESSES_NOT_READ =
  "not read (--root without --proc): command lines come only from static pod manifests and the kubelet's systemd unit; give --proc DIR (the host's /proc, e.g. mounted at /host/proc) to read the running components";

async function auditOnce(flags: NodeScanFlags, config: LoadedConfig, node: string): Promise<number> {
  let facts;
  try {
    facts = collectNodeFacts({ root: flags.root, procRoot: flags.proc, benchmark: flags.benchmark });
  } catch (err) {
    if (err instanceof NodeSourceError) throw new UsageError(err.message);
    throw err;
  }
  const auditedAt = new Date();
  const benchmark = benchmarkOf(facts);
  const target = {
    type: 'node' as const, node, auditedAt: auditedAt.toISOString(), root: flags.root ?? '/', proc: facts.procRoot ?? null,
    benchmark: benchmarkTarget(facts, benchmark),
    // Without processes, settings a flag could override are not confirmed: say so, and how to give them.
    ...(facts.procRoot ? {} : { processes: PROCESSES_NOT_READ }),
  };
  const result = await runNodeChecks(facts, benchmark.checks, target, engineOptionsFrom(config, { framework: flags.framework, failOn: flags.failOn }));
  for (const f of result.findings) f.node = node;
  if (config.file) result.target.config = config.file;
  const format = resolveFormat(flags.format, flags.output);
  const text = format === 'table' ? renderNodeTable(result, { color: useColor(flags.output) }) : renderResult(result, format, flags.output);
  await writeReport(text, flags.output);
  if (flags.publish) await publish(result, node, auditedAt, flags);
  return exitCodeFor(result, flags.failOn);
}

async function publish(result: Result, node: string, auditedAt: Date, flags: NodeScanFlags): Promise<void> {
  try {
    const where = await publishNodeAudit(result, node, {
      namespace: flags.publishNamespace,
      auditedAt,
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      requestTimeoutMs: flags.requestTimeout !== undefined ? flags.requestTimeout * 1000 : undefined,
    });
    process.stderr.write(`kubeharden: node audit published to ${where}\n`);
  } catch (err) {
    throw new PublishError(err instanceof ClusterSourceError ? err.message : `could not publish the node audit: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** The audit ran but could not be stored in the cluster (exit 2; with --every, retried next round). */
class PublishError extends UsageError {}
