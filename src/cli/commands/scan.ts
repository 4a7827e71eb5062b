import { Command, Option } from 'commander';
import { ALL_CHECKS } from '../../checks/index.js';
import { loadConfig } from '../../engine/config.js';
import { scanManifests } from '../../engine/scan.js';
import { parsePssVersion } from '../../analysis/pod/pss-version.js';
import { applyBaseline, loadBaselineFingerprints } from '../../engine/baseline.js';
import { FRAMEWORKS, type Framework } from '../../engine/run.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../sources/manifests.js';
import { addClusterOptions, scanClusterOrSnapshot, type ClusterFlags } from './cluster-input.js';
import { scanNode } from './scan-node.js';
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
    .option('--proc <dir>', 'with --node: read processes from this proc folder (default /proc, none with --root)');
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
  $ kubeharden scan snapshot.json                 a snapshot saved by \`kubeharden collect\`
  $ sudo kubeharden scan --node                   audit this control-plane or worker node
  $ kubeharden scan --node --root /host --proc /proc   from a privileged pod with the host mounted

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
        process.exitCode = await scanNode(flags, config);
        return;
      }
      if (flags.root || flags.proc) throw new UsageError('--root and --proc need --node');
      const settings = { ...config.settings };
      if (flags.pssLevel) settings.pssLevel = flags.pssLevel;
      if (flags.pssVersion) settings.pssVersion = flags.pssVersion;
      const engine = {
        settings,
        disabled: config.disabled,
        enabled: config.enabled,
        severityOverrides: config.severityOverrides,
        exceptions: config.exceptions,
        frameworks: flags.framework === 'all' ? undefined : [flags.framework as Framework],
        failOn: flags.failOn,
      };
      const inputs = paths.length ? paths : ['.'];
      const result =
        (await scanClusterOrSnapshot(inputs, paths.length > 0, flags, engine)) ??
        (await scanManifests(inputs, { ...engine, maxFileBytes: flags.maxFileSize }));
      if (config.file) result.target.config = config.file;
      if (known) applyBaseline(result, known);
      const format = resolveFormat(flags.format, flags.output);
      await writeReport(renderResult(result, format, flags.output), flags.output);
      process.exitCode = exitCodeFor(result, flags.failOn);
    });
}

export class UsageError extends Error {}
