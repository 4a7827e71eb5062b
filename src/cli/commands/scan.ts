import { Command, InvalidArgumentError, Option } from 'commander';
import { ALL_CHECKS } from '../../checks/index.js';
import { loadConfig } from '../../engine/config.js';
import { scanManifests } from '../../engine/scan.js';
import { parsePssVersion } from '../../analysis/pod/pss-version.js';
import { applyBaseline, applySeverityFilter, loadBaselineFingerprints, severitiesFrom } from '../../engine/baseline.js';
import { SEVERITIES, type Severity } from '../../result/result.js';
import { startProgress } from '../progress.js';
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
import { addReportOptions, startRun, type ReportFlags } from '../report-options.js';
import { engineOptionsFrom } from '../engine-options.js';

import {
  DEFAULT_TABLE_LIMIT,
  failOnOption,
  finishReport,
  formatOption,
  outputOption,
  parsePositiveSize,
  reportContent,
  resolveFormat,
  writeReport,
  type FailOn,
} from '../output.js';

function parseSeverityList(value: string): Severity[] {
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((s) => !(SEVERITIES as string[]).includes(s));
  if (!list.length || bad.length) throw new InvalidArgumentError(`a comma list of ${SEVERITIES.join(', ')}${bad.length ? ` (not: ${bad.join(', ')})` : ''}`);
  return list as Severity[];
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number, 0 or more');
  return Number(value);
}

interface ScanFlags extends ClusterFlags, ReportFlags {
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
  exclude: string[];
  gitignore: boolean;
  releaseName?: string;
  values: string[];
  set: string[];
  severity?: Severity[];
  minSeverity?: Severity;
  summary?: boolean;
  tableLimit: number;
  verbose?: boolean;
  quiet?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

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
    .option('--node-audits-max-age <duration>', 'with --cluster or a snapshot: leave out node audits older than this (default: 48h)', parseDuration)
    .option('--exclude <glob>', 'leave out paths of a folder scan matching this glob (repeatable; ** spans folders; a glob without / matches names anywhere)', collect, [])
    .option('--no-gitignore', 'also scan paths that .gitignore files leave out (.kubehardenignore still applies)')
    .option('--release-name <name>', 'Helm charts: the release name to render with (default: release-name)')
    .option('--values <file>', 'Helm charts: a values file to render with, as helm -f (repeatable)', collect, [])
    .option('--set <key=value>', 'Helm charts: a value to render with, as helm --set (repeatable)', collect, [])
    .option('--severity <list>', 'report only findings of these severities (comma list: critical,high)', parseSeverityList)
    .addOption(new Option('--min-severity <severity>', 'report only findings at or above this severity').choices([...SEVERITIES]))
    .option('--summary', 'table: one line per check (severity, count, controls, how to fix) instead of every finding')
    .option('--table-limit <n>', `table: above this many findings show the summary instead (0: never)`, parseCount, DEFAULT_TABLE_LIMIT)
    .option('-v, --verbose', 'also list on stderr the paths a folder scan skipped, and why')
    .option('-q, --quiet', 'no progress on stderr');
  addReportOptions(addClusterOptions(command, 'with --cluster: read namespaced resources of this namespace only; with manifests: the namespace they will be installed into (helm --namespace, kubectl apply -n)'))
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden scan k8s/                          scan a folder, table on a terminal
  $ kubeharden scan deploy.yaml --format json | jq '.findings[] | .message'
  $ helm template my-chart | kubeharden scan -    scan rendered Helm output from stdin
  $ kustomize build overlays/prod | kubeharden scan - --pss-level baseline
  $ kubeharden scan .                             a whole repository: charts rendered by helm,
                                                  kustomizations built by kustomize, other
                                                  YAML/JSON that is not Kubernetes skipped
  $ kubeharden scan charts/web --values prod.yaml --set replicas=3 -n shop
  $ kubeharden scan . --exclude 'test/**' --exclude '*.generated.yaml'
  $ kubeharden scan . --no-gitignore --verbose     scan ignored paths too, list what was skipped
  $ kubeharden scan . --min-severity high         report (and fail on) high and critical only
  $ kubeharden scan . --severity critical,high --summary   one line per check
  $ kubeharden scan k8s/ --fail-on critical -o report.json
  $ kubeharden scan k8s/ --baseline main-result.json   fail only on findings new since main
  $ kubeharden scan "$PWD/k8s" -o kubeharden.sarif --sarif-root "$PWD"   SARIF for GitHub code scanning
  $ kubeharden scan k8s/ -o junit.xml --junit-cases object --fail-on high   a CI test report, one case per object
  $ kubeharden scan k8s/ --format markdown >> "$GITHUB_STEP_SUMMARY"   a job summary (always under 65,536 characters)
  $ kubeharden scan --cluster                     the cluster of the current kubeconfig context
  $ kubeharden scan --cluster --context prod -n shop --format json
  $ kubeharden scan --cluster --format ndjson | jq -c 'select(.severity == "critical")'
                                                  a finding per line, the rest of the Result last
  $ kubeharden scan --cluster --write-policy-reports   and show it in PolicyReport dashboards
  $ kubeharden scan snapshot.json                 a snapshot saved by \`kubeharden collect\`
  $ sudo kubeharden scan --node                   audit this control-plane or worker node
  $ kubeharden scan --node --root /host --proc /proc   from a privileged pod with the host mounted
  $ sudo kubeharden scan --node --benchmark cis-eks-1.8   judge this node against a chosen benchmark
  $ kubeharden scan --node --root /host --publish --every 24h   the node-audit DaemonSet: audit, store, repeat

Paths left out of folder scans: .gitignore'd paths (unless --no-gitignore), patterns in a
.kubehardenignore file (gitignore syntax, in any folder), --exclude globs, hidden files
and folders, node_modules.

Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 usage error, an input could not be read, or a check crashed (a bug).
With 1 or 2, one line on stderr says why, whatever the format.`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      const finish = startRun();
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
      const counters = { files: 0, objects: 0, stage: 'reading manifests' };
      const stopProgress = startProgress(counters, flags.quiet === true);
      let result;
      try {
        result =
          (await scanClusterOrSnapshot(inputs, paths.length > 0, flags, engine)) ??
          (await scanManifests(inputs, {
            ...engine,
            maxFileBytes: flags.maxFileSize,
            exclude: flags.exclude,
            gitignore: flags.gitignore,
            namespace: flags.namespace,
            helmRelease: flags.releaseName,
            helmValues: flags.values,
            helmSet: flags.set,
            progress: counters,
          }));
      } finally {
        stopProgress();
      }
      if (flags.verbose) for (const s of result.skipped ?? []) process.stderr.write(`kubeharden: skipped ${s.source}: ${s.reason}\n`);
      if (result.target.type === 'manifests' && (flags.nodeAuditsNamespace ?? flags.nodeAuditsMaxAge) !== undefined) {
        throw new UsageError('--node-audits-namespace and --node-audits-max-age go with --cluster or a snapshot: manifests hold no node audits');
      }
      if (config.file) result.target.config = config.file;
      if (flags.writePolicyReports) await writeReports(result, flags);
      if (known) applyBaseline(result, known);
      const severities = flags.severity ? new Set(flags.severity) : flags.minSeverity ? severitiesFrom(flags.minSeverity) : undefined;
      if (severities) applySeverityFilter(result, severities);
      const format = resolveFormat(flags.format, flags.output);
      await writeReport(reportContent(result, format, flags.output, { ...flags, ...finish() }), flags.output);
      process.exitCode = finishReport(result, flags.failOn);
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

