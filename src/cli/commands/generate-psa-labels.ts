import type { Command } from 'commander';
import { Option } from 'commander';
import { NoPssChecks, proposePsaLabels, type LabelProposal } from '../../queries/psa-preview.js';
import { loadManifests } from '../../sources/manifests.js';
import { outputOption, writeReport } from '../output.js';
import { UsageError } from '../usage-error.js';

/** Adds `generate psa-labels` to the `generate` command group. */
export function registerGeneratePsaLabels(generate: Command): void {
  generate
    .command('psa-labels')
    .description('Propose Pod Security Admission labels per namespace: the strictest level its current workloads already pass')
    .argument('[paths...]', 'manifests: files, folders (recursively) or - for stdin', ['.'])
    .option('--pss-version <version>', 'Pod Security Standards version to pin the labels to: latest or v1.N', 'latest')
    .addOption(new Option('-f, --format <format>', 'yaml: Namespace objects to apply; json: the proposal with reasons').choices(['yaml', 'json']).default('yaml'))
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden generate psa-labels k8s/ > namespaces-psa.yaml
  $ helm template my-chart | kubeharden generate psa-labels - --pss-version v1.33
  $ kubeharden generate psa-labels k8s/ --format json | jq '.[] | select(.level != "restricted")'

Each namespace gets enforce = the strictest of restricted, baseline, privileged that every
workload in it passes now, and warn/audit = restricted, so what blocks restricted keeps showing
up in warnings and audit annotations. Comments list the workloads that block the next level.
Apply with: kubectl apply --server-side -f namespaces-psa.yaml (labels are merged).`,
    )
    .action(async (paths: string[], flags: { pssVersion: string; format: string; output?: string }) => {
      if (!/^(latest|v1\.(0|[1-9][0-9]*))$/.test(flags.pssVersion)) throw new UsageError(`--pss-version must be latest or v1.N, got ${flags.pssVersion}`);
      const { inventory } = await loadManifests(paths);
      const errors = inventory.problems.filter((p) => p.level === 'error');
      for (const e of errors) process.stderr.write(`kubeharden: ${e.source}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
      if (errors.length && !inventory.size) throw new UsageError('no input could be read');
      let proposals: LabelProposal[];
      try {
        proposals = proposePsaLabels(inventory, { version: flags.pssVersion });
      } catch (err) {
        if (err instanceof NoPssChecks) throw new UsageError(err.message);
        throw err;
      }
      await writeReport(flags.format === 'json' ? JSON.stringify(proposals, null, 2) + '\n' : psaLabelsYaml(proposals), flags.output);
    });
}

export function psaLabelsYaml(proposals: LabelProposal[]): string {
  const header = '# Pod Security Admission labels proposed by kubeharden: each namespace enforces the strictest\n# level its current workloads pass; warn and audit stay at restricted.\n';
  if (!proposals.length) return header + '# The input has no namespaces and no workloads.\n';
  return header + proposals.map(namespaceYaml).join('');
}

function namespaceYaml(p: LabelProposal): string {
  const why = [`# ${p.namespace}: ${p.workloads} workload(s); enforce ${p.level}.`];
  if (p.blockedAt) {
    why.push(`# At ${p.blockedAt.level} these would be rejected:`);
    for (const r of p.blockedAt.rejections) {
      for (const reason of r.reasons) why.push(`#   ${r.workload} (${r.rejects}): ${reason.pss}: ${oneLine(reason.message)}`);
    }
  }
  const labels = Object.entries(p.labels).map(([k, v]) => `    ${k}: ${v}`).join('\n');
  return `---\n${why.join('\n')}\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${JSON.stringify(p.namespace)}\n  labels:\n${labels}\n`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ');
}
