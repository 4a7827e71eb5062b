// `kubeharden netpol reach|matrix`: who can reach what, from the NetworkPolicies of the input.

import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_NAMESPACE, DEFAULT_POD_CIDRS, NetpolModel } from '../../analysis/netpol/model.js';
import { parseCidr } from '../../analysis/netpol/cidr.js';
import { PROTOCOLS, type Protocol } from '../../analysis/netpol/ports.js';
import { describeCell, explainReach, reachabilityMatrix, resolveEndpoint, type DirectionReport, type ReachReport } from '../../analysis/netpol/reach.js';
import { formatPath } from '../../inventory/model.js';
import { loadManifests } from '../../sources/manifests.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, formatOption, outputOption, resolveFormat, writeReport } from '../output.js';
import { UsageError } from '../usage-error.js';

interface CommonFlags {
  format?: string;
  output?: string;
  podCidr?: string[];
}

export function registerNetpol(program: Command): void {
  const netpol = program.command('netpol').description('Evaluate NetworkPolicies exactly: who can reach what');

  withCommon(netpol.command('reach'))
    .description('Say whether one connection is allowed, and which policies decide it on each side')
    .requiredOption('--from <endpoint>', 'source: NAMESPACE/NAME, NAMESPACE/KIND/NAME (#PART for one template) or an IP address')
    .requiredOption('--to <endpoint>', 'destination: NAMESPACE/NAME, NAMESPACE/KIND/NAME (#PART for one template) or an IP address')
    .requiredOption('--port <n>', 'destination port (the pod port, after Service translation)', parsePort)
    .addOption(new Option('--protocol <protocol>', 'protocol').choices([...PROTOCOLS]).default('TCP'))
    .addOption(new Option('--expect <verdict>', 'exit 1 unless the answer is this').choices(['allowed', 'denied']))
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden netpol reach --from shop/web --to shop/db --port 5432 k8s/
  $ kubeharden netpol reach --from shop/web --to 169.254.169.254 --port 80 k8s/ --format json
  $ kubeharden netpol reach --from 203.0.113.7 --to shop/Deployment/web --port 8080 k8s/
  $ kubeharden netpol reach --from dev/tool --to kube-system/coredns --port 53 --protocol UDP --expect allowed k8s/

Workloads are pods and pod templates (Deployment, StatefulSet, DaemonSet, Job, CronJob…), matched by
their pod template labels. A custom resource with several templates (a RayCluster's head and worker
groups) is one workload per template: NAMESPACE/NAME#PART, e.g. ml/etl#workerGroupSpecs[0].
"uncertain" means the answer depends on what manifests cannot say (a pod IP against an ipBlock,
hostNetwork pods); it counts as allowed.
Exit codes: 0 answered (or as --expect says); 1 not as --expect says; 2 usage error or unreadable input.`,
    )
    .action(async (paths: string[], flags: CommonFlags & { from: string; to: string; port: number; protocol: Protocol; expect?: string }) => {
      const { model, inputErrors } = await loadModel(paths, flags);
      const src = endpointOrThrow(model, flags.from, '--from');
      const dst = endpointOrThrow(model, flags.to, '--to');
      const report = explainReach(model, src, dst, flags.protocol, flags.port);
      const format = resolveFormat(flags.format, flags.output);
      const json = { ...report, ignoredPolicies: ignoredPolicies(model) };
      await writeReport(format === 'json' ? JSON.stringify(json, null, 2) + '\n' : reachText(report), flags.output);
      if (inputErrors) process.exitCode = EXIT_USAGE;
      else if (flags.expect) process.exitCode = (flags.expect === 'allowed') === report.allowed && report.verdict !== 'uncertain' ? EXIT_OK : EXIT_FINDINGS;
      else process.exitCode = EXIT_OK;
    });

  withCommon(netpol.command('matrix'))
    .description('Show which workloads can reach which, on which ports')
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden netpol matrix k8s/
  $ kubeharden netpol matrix k8s/ --format json | jq '.rows[0][1]'    from the first workload to the second
  $ kubeharden netpol matrix k8s/ -n shop -n data     rows and columns of two namespaces

Each cell is the set of ports a source (row) can open to a destination (column): "all", "none",
or e.g. "TCP 80,443; UDP 53". "(maybe: …)" marks ports that depend on what manifests cannot say.`,
    )
    .option('-n, --namespace <namespace>', 'only workloads of this namespace (repeatable); policies of every namespace still apply', collect)
    .action(async (paths: string[], flags: CommonFlags & { namespace?: string[] }) => {
      const { model, inputErrors } = await loadModel(paths, flags);
      const shown = flags.namespace ? model.workloads.filter((w) => flags.namespace!.includes(w.namespace)) : model.workloads;
      const matrix = reachabilityMatrix(model, shown);
      const ids = shown.map((w) => w.id);
      const format = resolveFormat(flags.format, flags.output);
      const cells = matrix.map((row) => row.map(describeCell));
      const text = format === 'json' ? matrixJson(ids, cells, ignoredPolicies(model)) : matrixText(ids, cells);
      await writeReport(text, flags.output);
      process.exitCode = inputErrors ? EXIT_USAGE : EXIT_OK;
    });
}

function withCommon(cmd: Command): Command {
  return cmd
    .argument('[paths...]', 'files or folders of manifests, or - for stdin', ['.'])
    .addOption(formatOption(['table', 'json']))
    .addOption(outputOption())
    .option('--pod-cidr <cidr>', `the cluster's pod network, for ipBlocks against pods of unknown IP (repeatable; default ${DEFAULT_POD_CIDRS.join(', ')})`, collectCidr);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function collectCidr(value: string, previous: string[] | undefined): string[] {
  const c = parseCidr(value);
  if ('error' in c) throw new InvalidArgumentError(c.error);
  return collect(value, previous);
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError('a port number 1-65535');
  return n;
}

/** Loads the input and builds the model; warns on stderr about inputs and policies it could not use. */
async function loadModel(paths: string[], flags: { podCidr?: string[] }): Promise<{ model: NetpolModel; inputErrors: boolean }> {
  const { inventory } = await loadManifests(paths);
  for (const p of inventory.problems) {
    process.stderr.write(`kubeharden: ${p.level}: ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
  }
  const model = new NetpolModel(inventory, { podCidrs: flags.podCidr });
  for (const bad of model.invalidPolicies) {
    for (const p of bad.problems) {
      process.stderr.write(`kubeharden: warning: NetworkPolicy ${bad.object.namespace ?? DEFAULT_NAMESPACE}/${bad.object.name} (${bad.object.source.file}) is not evaluated: ${formatPath(p.path)}: ${p.message}\n`);
    }
  }
  if (model.otherPolicies.length) {
    const names = model.otherPolicies.slice(0, 5).map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`);
    process.stderr.write(
      `kubeharden: warning: ${model.otherPolicies.length} policy object(s) of other APIs are not evaluated (${names.join(', ')}${model.otherPolicies.length > 5 ? ', …' : ''}); ` +
        'the answers are what Kubernetes NetworkPolicies alone allow\n',
    );
  }
  return { model, inputErrors: inventory.problems.some((p) => p.level === 'error') };
}

function endpointOrThrow(model: NetpolModel, ref: string, flag: string) {
  const r = resolveEndpoint(model, ref);
  if ('error' in r) throw new UsageError(`${flag}: ${r.error}`);
  return r.endpoint;
}

function ignoredPolicies(model: NetpolModel) {
  const otherApis = model.otherPolicies.map((o) => ({
    policy: `${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
    file: o.source.file,
    problems: [{ path: 'apiVersion', message: `${o.apiVersion} ${o.kind} is not evaluated: only networking.k8s.io/v1 NetworkPolicies are` }],
  }));
  return [...otherApis, ...model.invalidPolicies.map((b) => ({
    policy: `${b.object.namespace ?? DEFAULT_NAMESPACE}/${b.object.name}`,
    file: b.object.source.file,
    problems: b.problems.map((p) => ({ path: formatPath(p.path), message: p.message })),
  }))];
}

function reachText(r: ReachReport): string {
  const head = `${r.from} → ${r.to} ${r.protocol} ${r.port}: ${r.verdict.toUpperCase()}`;
  return [head, directionText('egress', r.egress), directionText('ingress', r.ingress), `  all ports allowed on this connection: ${r.ports.sure}${r.ports.sure !== r.ports.possible ? ` (maybe: ${r.ports.possible})` : ''}`, ''].join('\n');
}

function directionText(name: string, d: DirectionReport): string {
  const lines = [`  ${name} of ${d.endpoint}: ${d.verdict}`];
  if (d.policies.length) lines.push(`    isolated by: ${d.policies.join(', ')}`);
  for (const a of d.allowedBy) lines.push(`    allowed by ${a.policy} ${a.rule} (ports: ${a.ports})${a.certain ? '' : ' — uncertain'}`);
  if (d.policies.length && d.allowedBy.length === 0) lines.push(`    no rule of these policies allows this connection`);
  for (const n of d.notes) lines.push(`    note: ${n}`);
  return lines.join('\n');
}

/**
 * `rows[i][j]` is what workload i can open to workload j, in the words of the table. One row per
 * line: a matrix of thousands of workloads stays a file people can grep and jq can read.
 */
function matrixJson(ids: string[], cells: string[][], ignored: ReturnType<typeof ignoredPolicies>): string {
  const rows = cells.map((row) => '    ' + JSON.stringify(row)).join(',\n');
  return [
    '{',
    `  "workloads": ${JSON.stringify(ids)},`,
    '  "cells": "rows[i][j]: the ports workload i can open to workload j: all, none, or e.g. TCP 80,443; UDP 53 — with (maybe: …) for ports that depend on what manifests cannot say",',
    `  "rows": [\n${rows}\n  ],`,
    `  "ignoredPolicies": ${JSON.stringify(ignored)}`,
    '}',
    '',
  ].join('\n');
}

/** A numbered grid (rows: sources; columns: destinations) and the cells in words beneath. */
function matrixText(ids: string[], cells: string[][]): string {
  if (ids.length === 0) return 'no workloads in the input\n';
  const symbol = (c: string) => (c === 'all' ? '✓' : c === 'none' ? '·' : c.includes('maybe') ? '?' : 'p');
  const width = String(ids.length).length;
  const lines = ['Rows: sources; columns: destinations.  ✓ all ports  · none  p some ports  ? uncertain', ''];
  lines.push(' '.repeat(width + 2) + ids.map((_, j) => String(j + 1).padStart(width)).join(' '));
  cells.forEach((row, i) => lines.push(`${String(i + 1).padStart(width)}  ${row.map((c) => symbol(c).padStart(width)).join(' ')}  ${ids[i]}`));
  const partial: string[] = [];
  cells.forEach((row, i) => row.forEach((c, j) => {
    if (c !== 'all' && c !== 'none') partial.push(`  ${ids[i]} → ${ids[j]}: ${c}`);
  }));
  // Pushed one by one: a spread of millions of cells would overflow the call stack.
  if (partial.length) lines.push('', 'Partly open:');
  for (const line of partial) lines.push(line);
  return lines.join('\n') + '\n';
}
