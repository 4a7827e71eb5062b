// `kubeharden generate netpol`: default-deny NetworkPolicies for a namespace, DNS allowed,
// plus a proposed allow-list to review.

import { Command } from 'commander';
import { Document } from 'yaml';
import { generateNetpol, type GeneratedPolicy } from '../../fix/generate-netpol.js';
import { loadManifests } from '../../sources/manifests.js';
import { DEFAULT_NAMESPACE } from '../../analysis/netpol/model.js';
import { EXIT_OK, EXIT_USAGE, outputOption, writeReport } from '../output.js';

export function registerGenerateNetpol(generate: Command): void {
  generate
    .command('netpol')
    .description('Default-deny NetworkPolicies for a namespace, DNS allowed, plus a proposed allow-list')
    .argument('[paths...]', 'files or folders of manifests, or - for stdin', ['.'])
    .requiredOption('-n, --namespace <namespace>', 'the namespace to write policies for')
    .option('--no-proposals', 'only the default-deny and the DNS allowance, no allow-list proposal')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden generate netpol --namespace shop k8s/ > shop-netpol.yaml
  $ kubeharden generate netpol --namespace shop --no-proposals -o shop-deny.yaml k8s/

Writes:
  default-deny        podSelector: {}, policyTypes: [Ingress, Egress]
  allow-dns-egress    every pod may query kube-system pods labelled k8s-app: kube-dns on UDP/TCP 53
  allow-dns-ingress   (kube-system only) every namespace may query the DNS pods
  allow-*             PROPOSALS, annotated ${'kubeharden.io/proposal'}: ingress to each Service's pods (from
                      anywhere when exposed by LoadBalancer/NodePort/Ingress, else from the workloads that
                      name the Service in env/command/args), egress to the Services a workload names.
                      Review them: they are guesses from the manifests.
Check the result: kubeharden netpol matrix k8s/ shop-netpol.yaml`,
    )
    .action(async (paths: string[], flags: { namespace: string; proposals: boolean; output?: string }) => {
      const { inventory } = await loadManifests(paths);
      for (const p of inventory.problems) process.stderr.write(`kubeharden: ${p.level}: ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
      if (!inventory.pods.some((p) => (p.object.namespace ?? DEFAULT_NAMESPACE) === flags.namespace)) {
        process.stderr.write(`kubeharden: warning: the input has no workload in namespace ${flags.namespace}; writing the default-deny only\n`);
      }
      const generated = generateNetpol(inventory, flags.namespace, { proposals: flags.proposals });
      await writeReport(toYaml(generated), flags.output);
      process.exitCode = inventory.problems.some((p) => p.level === 'error') ? EXIT_USAGE : EXIT_OK;
    });
}

/** Multi-document YAML; each policy is preceded by a comment saying why it is there. */
export function toYaml(generated: GeneratedPolicy[]): string {
  return generated
    .map((g) => {
      // YAML 1.1, as kubectl reads it: a label value such as "yes", "on" or "0644" must come out quoted.
      const doc = new Document(g.policy, { version: '1.1' });
      doc.commentBefore = (g.proposal ? ' PROPOSAL — review before applying.\n ' : ' ') + g.reason;
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
