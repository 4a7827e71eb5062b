import { Command, Option } from 'commander';
import { ALL_CHECKS } from '../../checks/index.js';
import { loadConfig } from '../../engine/config.js';
import { scanManifests } from '../../engine/scan.js';
import { parsePssVersion } from '../../analysis/pod/pss-version.js';
import { applyBaseline, loadBaselineFingerprints } from '../../engine/baseline.js';
import { FRAMEWORKS } from '../../engine/run.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../sources/manifests.js';
import { NODE_AUDIT_NAMESPACE } from '../../result/node-audit-record.js';
import { addClusterOptions, clusterReadOptions, scanClusterOrSnapshot, type ClusterFlags } from './cluster-input.js';
import { writePolicyReports } from '../../publish/policy-reports.js';
import { ClusterSourceError } from '../../sources/cluster/kubeconfig.js';
import type { Result } from '../../result/result.js';
import { scanNode } from './scan-node.js';
import { parseDuration } from '../option-values.js';
import { BENCHMARK_NAMES } from '../../checks/node/benchmarks.js';
import { UsageError } from '../usage-error.js';
import { engineOptionsFrom } from '../engine-options.js';

import {
  exitCodeFor,
  failOnOption,
  formatOption,
  outputOption,
  parsePositiveSize,
  renderResult,
  resolveFormat,
  writeReport,
  type FailOn,
} from '../output.js';

interface ScanFlags extends ClusterFlags {
  format?: string;
  output?: string;
  failOn: FailOn;
  framework: string;
  pssLevel?: 'baseline' | 'restricted';
  pssVersion?: string;
  config?: string;
  maxFileSize: number;
  baseline?: string;
  node?: boolean;
  root?: string;
  proc?: string;
  benchmark?: string;
  nodeName?: string;
  publish?: boolean;
  publishNamespace?: string;
  every?: number;
  nodeAuditsNamespace?: string;
  nodeAuditsMaxAge?: number;
  writePolicyReports?: boolean;
}

export function registerScan(program: Command): void {
  const command = program
    .command('scan')
    .description('Scan Kubernetes manifests (files, folders recursively, - for stdin), a snapshot, or the live cluster (--cluster)')
    .argument('[paths...]', 'files or folders of .yaml/.yml/.json, - for stdin, or one snapshot from `kubeharden collect`')
    .addOption(formatOption())
    .addOption(outputOption())
    .addOption(failOnOption())
    .addOption(new Option('--framework <name>', 'only checks mapped to this framework').choices([...FRAMEWORKS, 'all']).default('all'))
    .addOption(new Option('--pss-level <level>', 'Pod Security Standards level (default: restricted, or the config\'s)').choices(['baseline', 'restricted']))
    .option('--pss-version <version>', 'Pod Security Standards policy version: latest or v1.N (default: latest)')
    .option('-c, --config <file>', 'configuration file (default: .kubeharden.yaml if present)')
    .option('--baseline <result.json>', 'report only findings that are not in this earlier JSON result')
    .option('--max-file-size <size>', 'skip files larger than this, with an error', parsePositiveSize, DEFAULT_MAX_FILE_BYTES)
    .option('--node', 'audit the node this runs on (CIS sections 1-4: process flags, config files, file modes)')
    .option('--root <dir>', 'with --node: read a host filesystem mounted at this folder')
    .option('--proc <dir>', 'with --node: read processes from this proc folder (default /proc, none with --root)')
    .addOption(new Option('--benchmark <name>', 'with --node: judge the node against this benchmark instead of the one detected').choices(BENCHMARK_NAMES))
    .option('--node-name <name>', 'with --node: the name of this node in the cluster (default: $NODE_NAME, then the host name)')
    .option('--publish', 'with --node: also store the result in the cluster (a ConfigMap) for the cluster scan to gather')
    .option('--publish-namespace <namespace>', `with --publish: the node-audit namespace (default: ${NODE_AUDIT_NAMESPACE})`)
    .option('--every <duration>', 'with --node: repeat the audit at this interval (24h, 30m), as the node-audit DaemonSet does', parseDuration)
    .option('--node-audits-namespace <namespace>', `with --cluster or a snapshot: gather node audits published in this namespace (default: ${NODE_AUDIT_NAMESPACE})`)
    .option('--write-policy-reports', 'with --cluster: also write the result to the cluster as PolicyReports (wgpolicyk8s.io/v1alpha2) and delete stale ones')
    .option('--node-audits-max-age <duration>', 'with --cluster or a snapshot: leave out node audits older than this (default: 48h)', parseDuration);
  addClusterOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden scan k8s/                          scan a folder, table on a terminal
  $ kubeharden scan deploy.yaml --format json | jq '.findings[] | .message'
  $ helm template my-chart | kubeharden scan -    scan rendered Helm output from stdin
  $ kustomize build overlays/prod | kubeharden scan - --pss-level baseline
  $ kubeharden scan k8s/ --fail-on critical -o report.json
  $ kubeharden scan k8s/ --baseline main-result.json   fail only on findings new since main
  $ kubeharden scan --cluster                     the cluster of the current kubeconfig context
  $ kubeharden scan --cluster --context prod -n shop --format json
  $ kubeharden scan --cluster --write-policy-reports   and show it in PolicyReport dashboards
  $ kubeharden scan snapshot.json                 a snapshot saved by \`kubeharden collect\`
  $ sudo kubeharden scan --node                   audit this control-plane or worker node
  $ kubeharden scan --node --root /host --proc /proc   from a privileged pod with the host mounted
  $ sudo kubeharden scan --node --benchmark cis-eks-1.8   judge this node against a chosen benchmark
  $ kubeharden scan --node --root /host --publish --every 24h   the node-audit DaemonSet: audit, store, repeat

Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 usage error or an input could not be read.`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      if (flags.pssVersion !== undefined && !parsePssVersion(flags.pssVersion)) {
        throw new UsageError(`--pss-version must be latest or v1.N, got ${flags.pssVersion}`);
      }
      const known = flags.baseline ? await loadBaselineFingerprints(flags.baseline) : undefined;
      const config = await loadConfig(flags.config, new Set(ALL_CHECKS.map((c) => c.id)));
      if (flags.node) {
        if (paths.length > 0 || flags.cluster) throw new UsageError('--node scans the host it runs on (or --root); it takes no paths and no --cluster');
        if (flags.nodeAuditsNamespace !== undefined || flags.nodeAuditsMaxAge !== undefined) throw new UsageError('--node-audits-namespace and --node-audits-max-age go with --cluster or a snapshot');
        if ((flags.kubeconfig ?? flags.context) !== undefined && !flags.publish) throw new UsageError('--kubeconfig and --context go with --cluster, or with --node --publish');
        process.exitCode = await scanNode(flags, config);
        return;
      }
      const nodeOnly = Object.entries({ '--root': flags.root, '--proc': flags.proc, '--benchmark': flags.benchmark, '--node-name': flags.nodeName, '--publish': flags.publish, '--publish-namespace': flags.publishNamespace, '--every': flags.every })
        .filter(([, value]) => value !== undefined)
        .map(([flag]) => flag);
      if (nodeOnly.length) throw new UsageError(`${nodeOnly.join(', ')} ${nodeOnly.length > 1 ? 'go' : 'goes'} with --node`);
      const engine = { ...engineOptionsFrom(config, flags), nodeAudits: { namespace: flags.nodeAuditsNamespace, maxAgeMs: flags.nodeAuditsMaxAge } };
      if (flags.writePolicyReports && !flags.cluster) throw new UsageError('--write-policy-reports writes to the cluster it scans: it needs --cluster');
      const inputs = paths.length ? paths : ['.'];
      const result =
        (await scanClusterOrSnapshot(inputs, paths.length > 0, flags, engine)) ??
        (await scanManifests(inputs, { ...engine, maxFileBytes: flags.maxFileSize }));
      if (result.target.type === 'manifests' && (flags.nodeAuditsNamespace ?? flags.nodeAuditsMaxAge) !== undefined) {
        throw new UsageError('--node-audits-namespace and --node-audits-max-age go with --cluster or a snapshot: manifests hold no node audits');
      }
      if (config.file) result.target.config = config.file;
      if (flags.writePolicyReports) await writeReports(result, flags);
      if (known) applyBaseline(result, known);
      const format = resolveFormat(flags.format, flags.output);
      await writeReport(renderResult(result, format, flags.output), flags.output);
      process.exitCode = exitCodeFor(result, flags.failOn);
    });
}

/** Writes the PolicyReports; a failure is an input error of the result (exit 2), the report is still printed. */
async function writeReports(result: Result, flags: ScanFlags): Promise<void> {
  try {
    const { written, deleted, server } = await writePolicyReports(result, clusterReadOptions(flags));
    process.stderr.write(
      `kubeharden: wrote ${written.policyReports} PolicyReport(s) and ${written.clusterPolicyReports} ClusterPolicyReport(s) to ${server}` +
        (deleted ? `; deleted ${deleted} stale one(s)` : '') + '\n',
    );
  } catch (err) {
    if (!(err instanceof ClusterSourceError)) throw err;
    result.errors.push({ source: 'policyreports', message: err.message, level: 'error' });
  }
}

