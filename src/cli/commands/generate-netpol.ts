// `kubeharden generate netpol`: default-deny NetworkPolicies for a namespace, DNS allowed, the
// flows other namespaces declare kept, a proposed allow-list to review, and — from flow logs —
// allow rules for exactly the flows observed. Before writing, it shows what applying them
// changes (the matrix before and after) and dry-runs every observed flow through the engine.

import { Command } from 'commander';
import { DEFAULT_NAMESPACE } from '../../analysis/netpol/model.js';
import type { GeneratedPolicy } from '../../fix/generate-netpol.js';
import { FlowAggregate } from '../../fix/netpol-from-flows.js';
import { planNetpol, type NetpolPlan } from '../../fix/netpol-plan.js';
import { netpolYaml } from '../../fix/netpol-yaml.js';
import { readFlows } from '../../sources/flows/read-flows.js';
import type { FlowReadStats } from '../../sources/flows/model.js';
import { loadManifests } from '../../sources/manifests.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, outputOption, writeReport } from '../output.js';
import { UsageError } from '../usage-error.js';

interface Flags {
  namespace: string;
  proposals: boolean;
  output?: string;
  fromFlows?: string[];
  changes?: string;
}

export function registerGenerateNetpol(generate: Command): void {
  generate
    .command('netpol')
    .description('Default-deny NetworkPolicies for a namespace, DNS allowed, declared and observed flows kept, plus a proposed allow-list')
    .argument('[paths...]', 'files or folders of manifests, or - for stdin', ['.'])
    .requiredOption('-n, --namespace <namespace>', 'the namespace to write policies for')
    .option('--no-proposals', 'no allow-list guessed from the manifests (kept declared flows and observed flows are still written)')
    .option('--from-flows <files...>', 'flow logs (Cilium Hubble `hubble observe -o jsonpb`/`-o json`, Calico flow logs; JSON lines, gzipped or not; - for stdin): allow exactly the flows seen')
    .option('--changes <file>', 'write the matrix before → after of every changed connection, the dry run and the broader-than-seen check as JSON')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden generate netpol --namespace shop k8s/ > shop-netpol.yaml
  $ kubeharden generate netpol --namespace shop --no-proposals -o shop-deny.yaml k8s/
  $ hubble observe --namespace shop --since 24h -o jsonpb > shop-flows.json
  $ kubeharden generate netpol -n shop k8s/ --from-flows shop-flows.json -o shop-netpol.yaml
  $ kubeharden generate netpol -n shop k8s/ --from-flows /var/log/calico/flowlogs/flows.log*.gz
  $ hubble observe -n shop --last 100000 -o jsonpb | kubeharden generate netpol -n shop k8s/ --from-flows -

Writes:
  default-deny        podSelector: {}, policyTypes: [Ingress, Egress]
  allow-dns-egress    every pod may query kube-system pods labelled k8s-app: kube-dns on UDP/TCP 53
  allow-dns-ingress   (kube-system only) every namespace may query the DNS pods
  keep-*              flows other namespaces' policies declare: an ingress rule elsewhere that admits pods of
                      this namespace gets the matching egress here (and an egress rule elsewhere the ingress),
                      with the same selectors and ports, so the default-deny does not cut them
  allow-observed-*    (--from-flows) one allow rule per workload pair seen, on the ports seen, with a comment
                      naming the flows it covers; pods selected by their stable labels; addresses outside the
                      pod network as an ipBlock of the address seen (/32, /128)
  allow-*             PROPOSALS, annotated ${'kubeharden.io/proposal'}: ingress to each Service's pods (from
                      anywhere when exposed by LoadBalancer/NodePort/Ingress, else from the workloads that
                      name the Service in env/command/args), egress to the Services a workload names.
                      Review them: they are guesses from the manifests.

On stderr: what applying the policies changes, flow by flow (netpol matrix before → after, for every pair
with an end in the namespace), a warning for every flow it cuts (cuts of declared and observed flows always
in full, the others up to ${MAX_LISTED}; --changes FILE has them all), and with --from-flows the dry run: every
observed flow asked of the engine as \`netpol reach\` asks it.
--from-flows takes one or more files: put the manifest paths before it, or after \`--\`.
Exit codes: 0 written; 1 an observed flow would be denied by the policies written here; 2 unreadable input.
Check the result: kubeharden netpol matrix k8s/ shop-netpol.yaml`,
    )
    .action(async (paths: string[], flags: Flags) => {
      if (flags.fromFlows?.includes('-') && paths.includes('-')) throw new UsageError('standard input can be the manifests or the flows, not both');
      const { inventory } = await loadManifests(paths);
      for (const p of inventory.problems) process.stderr.write(`kubeharden: ${p.level}: ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
      if (!inventory.pods.some((p) => (p.object.namespace ?? DEFAULT_NAMESPACE) === flags.namespace)) {
        process.stderr.write(`kubeharden: warning: the input has no workload in namespace ${flags.namespace}; writing the default-deny only\n`);
      }
      let unreadable = false;
      let aggregate: FlowAggregate | undefined;
      let stats: FlowReadStats | undefined;
      if (flags.fromFlows) {
        aggregate = new FlowAggregate();
        const agg = aggregate;
        stats = await readFlows(flags.fromFlows, (f) => agg.add(f), (p) => {
          if (p.fatal) unreadable = true;
          process.stderr.write(`kubeharden: ${p.fatal ? 'error' : 'warning'}: ${p.at}: ${p.message}${p.fatal ? '' : '; line skipped'}\n`);
        });
      }
      const plan = planNetpol(inventory, flags.namespace, {
        proposals: flags.proposals,
        ...(aggregate ? { flows: aggregate.list(), flowSources: flags.fromFlows } : {}),
      });
      for (const p of plan.problems) process.stderr.write(`kubeharden: error: generated policy: ${p}\n`);
      if (flags.changes) {
        const { comparison, dryRun, broader } = plan;
        await writeReport(JSON.stringify({ namespace: flags.namespace, ...comparison, ...(dryRun ? { dryRun } : {}), ...(broader ? { broader } : {}) }, null, 2) + '\n', flags.changes);
      }
      process.stderr.write(planText(plan, flags.namespace, stats, aggregate?.size, flags.changes));
      await writeReport(plan.yaml, flags.output);
      const ourDenials = plan.dryRun?.some((d) => d.verdict === 'denied' && d.deniedBy?.here) ?? false;
      process.exitCode = unreadable || inventory.problems.some((p) => p.level === 'error') ? EXIT_USAGE : ourDenials || plan.problems.length ? EXIT_FINDINGS : EXIT_OK;
    });
}

/** Cuts of connections nothing isolated before, listed on stderr before "… and more". */
const MAX_LISTED = 40;

/** The stderr account: flows read, the matrix before → after, cuts as warnings, and the dry run. */
export function planText(plan: NetpolPlan, namespace: string, stats?: FlowReadStats, distinct?: number, changesFile?: string): string {
  const out: string[] = [];
  const say = (s: string) => out.push(`kubeharden: ${s}`);
  if (stats) {
    const skipped = Object.entries(stats.skipped).map(([k, v]) => `${v} ${k}`).join(', ');
    say(`read ${stats.lines} line(s) from ${stats.files} flow log(s): ${stats.flows} flow record(s), ${distinct ?? 0} distinct flow(s)${skipped ? `; skipped ${skipped}` : ''}${stats.malformed ? `; ${stats.malformed} malformed line(s) skipped` : ''}`);
  }
  const f = plan.fromFlows;
  if (f) {
    for (const l of f.leftOut) say(`warning: no rule written for observed flow ${l.reason}`);
    for (const n of f.notes) say(`note: ${n}`);
    if (f.alreadyAllowed.length) say(`${f.alreadyAllowed.length} observed flow(s) need no rule of their own (DNS allowance, node traffic, egress left open)`);
  }
  const c = plan.comparison;
  for (const k of c.keptDeclared) say(`kept: ${k.from} → ${k.to}: ${k.ports} (declared by ${k.declaredBy.join(', ')})`);
  say(`applying these ${plan.generated.length} policies changes ${c.changes.length} of ${c.compared} connection(s) with an end in ${namespace} (netpol matrix before → after):`);
  const declaredCuts = c.changes.filter((ch) => ch.cut && ch.declaredBy.length);
  const defaultCuts = c.changes.filter((ch) => ch.cut && !ch.declaredBy.length);
  for (const ch of declaredCuts) say(`warning: cuts a DECLARED flow: ${ch.from} → ${ch.to}: ${ch.before} → ${ch.after} (cut: ${ch.cut}; allowed before by ${ch.declaredBy.join(', ')})`);
  if (defaultCuts.length) {
    say(`warning: cuts ${defaultCuts.length} connection(s) open before only because no policy isolated either end:`);
    let shown = 0;
    for (const ch of defaultCuts) {
      const observed = plan.dryRun?.filter((d) => d.verdict === 'denied' && d.from === ch.from && d.to === ch.to).map((d) => d.flow.slice(d.flow.lastIndexOf(' ', d.flow.lastIndexOf(' ') - 1) + 1));
      // Every observed flow cut is shown; the expected effect of the default-deny, up to a screenful.
      if (!observed?.length && shown >= MAX_LISTED && !changesFile) continue;
      if (!observed?.length) shown++;
      say(`  ${ch.from} → ${ch.to}: ${ch.before} → ${ch.after}${observed?.length ? `  ← cuts OBSERVED ${observed.join(', ')}` : ''}`);
    }
    if (shown < defaultCuts.length && !changesFile) say(`  … and more: ${defaultCuts.length} in all; --changes FILE writes every one (JSON)`);
  }
  for (const ch of c.changes.filter((x) => !x.cut)) say(`  opens ${ch.from} → ${ch.to}: ${ch.before} → ${ch.after}`);
  if (plan.dryRun) {
    const allowed = plan.dryRun.filter((d) => d.verdict !== 'denied');
    const denied = plan.dryRun.filter((d) => d.verdict === 'denied');
    const uncertain = plan.dryRun.filter((d) => d.verdict === 'uncertain');
    if (denied.length === 0) {
      say(`dry run (netpol reach): all ${plan.dryRun.length} observed flow(s) with an end in ${namespace} are allowed by the policies as written${uncertain.length ? ` (${uncertain.length} uncertain: they depend on what manifests cannot say)` : ''}`);
    } else {
      say(`dry run (netpol reach): ${allowed.length} of ${plan.dryRun.length} observed flow(s) with an end in ${namespace} allowed; ${denied.length} denied:`);
      for (const d of denied) {
        const by = d.deniedBy!;
        say(
          d.leftOut
            ? `warning: ${d.flow} (first: ${d.first}) is denied by the ${by.side} of ${by.endpoint}: no rule could be written for it (see above)`
            : by.here
            ? `error: ${d.flow} (first: ${d.first}) is denied by the ${by.side} of ${by.endpoint} here — the policies written do not cover it`
            : `warning: ${d.flow} (first: ${d.first}) is denied by the ${by.side} of ${by.endpoint} (${by.policies.join(', ') || 'its policies'}), outside ${namespace}: not something these policies can open`,
        );
      }
    }
  }
  if (plan.broader) {
    if (plan.broader.length === 0) say('nothing broader: each rule written from the flows selects and admits, among the workloads of the input, only those seen, on the ports seen');
    for (const b of plan.broader) say(`note: ${b.policy} ${b.where} also ${b.where === 'spec.podSelector' ? 'selects' : 'admits'} ${b.beyond.join(', ')} (same labels), which no observed flow involved`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** Multi-document YAML; each policy is preceded by a comment saying why it is there. */
export function toYaml(generated: GeneratedPolicy[]): string {
  return netpolYaml(generated);
}
