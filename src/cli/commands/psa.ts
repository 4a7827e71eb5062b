import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { podSecurityConfig, readAdmissionConfiguration, type PodSecurityConfig } from '../../analysis/admission/config.js';
import { NoPssChecks, namespaceReports, type NamespaceReport } from '../../queries/psa-preview.js';
import { describeFsError, loadManifests } from '../../sources/manifests.js';
import { formatOption, outputOption, resolveFormat, writeReport } from '../output.js';
import { UsageError } from '../usage-error.js';

interface PreviewFlags {
  level: 'baseline' | 'restricted';
  pssVersion: string;
  admissionConfig?: string;
  format?: string;
  output?: string;
}

export function registerPsa(program: Command): void {
  const psa = program.command('psa').description('Pod Security Admission per namespace: the level each namespace gets, and what a stricter one would reject');
  psa
    .command('preview')
    .description('Each namespace\'s effective Pod Security policy, and which of its workloads a level would reject, and why')
    .argument('[paths...]', 'manifests: files, folders (recursively) or - for stdin', ['.'])
    .addOption(new Option('--level <level>', 'the level to preview').choices(['baseline', 'restricted']).default('restricted'))
    .option('--pss-version <version>', 'Pod Security Standards version: latest or v1.N', 'latest')
    .option('--admission-config <file>', "the API server's AdmissionConfiguration, for PodSecurity defaults and exemptions")
    .addOption(formatOption(['table', 'json']))
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden psa preview k8s/
  $ kubeharden psa preview k8s/ --level baseline --pss-version v1.33
  $ kubeharden psa preview k8s/ --admission-config /etc/kubernetes/admission.yaml --format json

Namespaces without pod-security.kubernetes.io labels get the cluster defaults: privileged
unless --admission-config names a PodSecurity configuration that says otherwise.`,
    )
    .action(async (paths: string[], flags: PreviewFlags) => {
      if (!/^(latest|v1\.(0|[1-9][0-9]*))$/.test(flags.pssVersion)) throw new UsageError(`--pss-version must be latest or v1.N, got ${flags.pssVersion}`);
      const config = flags.admissionConfig ? readPodSecurityConfig(flags.admissionConfig) : undefined;
      const { inventory } = await loadManifests(paths);
      for (const e of inventory.problems.filter((p) => p.level === 'error')) process.stderr.write(`kubeharden: ${e.source}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
      let reports: NamespaceReport[];
      try {
        reports = namespaceReports(inventory, { previewLevel: flags.level, version: flags.pssVersion, config });
      } catch (err) {
        if (err instanceof NoPssChecks) throw new UsageError(err.message);
        throw err;
      }
      const format = resolveFormat(flags.format, flags.output);
      await writeReport(format === 'json' ? JSON.stringify(reports, null, 2) + '\n' : previewText(reports, flags.level), flags.output);
    });
}

/** Reads an AdmissionConfiguration and the PodSecurity configuration it holds or names, from local files. */
function readPodSecurityConfig(file: string): PodSecurityConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: ${describeFsError(err)}`);
  }
  const readFile = (f: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  };
  const read = readAdmissionConfiguration(text, file, readFile, ['PodSecurity']);
  const config = podSecurityConfig(read.plugins.get('PodSecurity'));
  const problems = [...read.problems, ...config.problems];
  if (problems.length) throw new UsageError(problems.join('\n'));
  return config;
}

export function previewText(reports: NamespaceReport[], level: string): string {
  if (!reports.length) return 'The input has no namespaces and no workloads.\n';
  const lines: string[] = [];
  for (const r of reports) {
    const m = r.policy.modes;
    const mode = (name: 'enforce' | 'audit' | 'warn') => `${name} ${m[name].level}@${m[name].version}${m[name].from === 'default' ? ' (default)' : ''}`;
    lines.push(`${r.namespace}${r.declared ? '' : ' (no Namespace object in the input)'}: ${r.policy.exempt ? 'exempt from PodSecurity' : [mode('enforce'), mode('audit'), mode('warn')].join(', ')}`);
    for (const p of r.policy.problems) lines.push(`  ! ${p}`);
    if (!r.policy.exempt && m.enforce.level === 'privileged') lines.push('  ! left at privileged: any pod is admitted');
    if (r.rejections.length) {
      lines.push(`  at ${level}, ${r.rejections.length} of ${r.workloads} workload(s) would be rejected:`);
      for (const x of r.rejections) {
        lines.push(`    ${x.workload} (${x.rejects}):`);
        for (const reason of x.reasons) lines.push(`      ${reason.pss}: ${reason.message}`);
      }
    } else if (!r.policy.exempt) {
      lines.push(`  at ${level}: all ${r.workloads} workload(s) would be admitted`);
    }
  }
  return lines.join('\n') + '\n';
}
