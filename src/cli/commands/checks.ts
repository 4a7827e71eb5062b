import { Command, Option } from 'commander';
import { BENCHMARK_NAMES, findBenchmark } from '../../checks/node/benchmarks.js';
import { CHECK_CATALOG, findCheck } from '../../checks/index.js';
import type { CheckMeta } from '../../checks/types.js';
import { formatOption, outputOption, resolveFormat, writeReport } from '../output.js';
import { UsageError } from '../usage-error.js';

export function registerChecks(program: Command): void {
  const checks = program.command('checks').description('List the checks and explain what each one wants');

  checks
    .command('list')
    .description('List every check with its severity and controls')
    .addOption(formatOption(['table', 'json']))
    .addOption(outputOption())
    .option('--category <name>', 'only this category (workload, pod-security, rbac, …)')
    .addOption(new Option('--benchmark <name>', 'only the items of this node benchmark, in its order').choices(BENCHMARK_NAMES))
    .addHelpText('after', '\nExamples:\n  $ kubeharden checks list\n  $ kubeharden checks list --category pod-security --format json\n  $ kubeharden checks list --benchmark cis-eks-1.8')
    .action(async (flags: { format?: string; output?: string; category?: string; benchmark?: string }) => {
      const from = flags.benchmark ? findBenchmark(flags.benchmark)!.checks : CHECK_CATALOG;
      const list = from.filter((c) => !flags.category || c.category === flags.category);
      const format = resolveFormat(flags.format, flags.output);
      const text =
        format === 'json'
          ? JSON.stringify(list.map(checkMetadata), null, 2) + '\n'
          : list.map((c) => `${c.id.padEnd(48)} ${c.severity.padEnd(8)} ${c.category.padEnd(14)} ${c.controls.join(' ')}`).join('\n') + '\n';
      await writeReport(text, flags.output);
    });

  checks
    .command('explain')
    .description('Explain one check: what it wants, why, and how to fix it')
    .argument('<id>', 'check id (container-read-only-root-filesystem) or a control (cis:5.2.2, nsa:P4, pss:baseline/privileged; cis:5.2 for all of 5.2.x)')
    .addHelpText('after', '\nExamples:\n  $ kubeharden checks explain container-read-only-root-filesystem\n  $ kubeharden checks explain cis:5.2.2        the checks of a CIS Benchmark item')
    .action(async (id: string) => {
      if (/^(cis|nsa|pss):/i.test(id)) {
        await writeReport(controlText(id), undefined);
        return;
      }
      const check = findCheck(id);
      if (!check) {
        const near = CHECK_CATALOG.filter((c) => c.id.includes(id) || id.includes(c.id)).map((c) => c.id);
        throw new UsageError(`no check with id ${id}${near.length ? ` (did you mean ${near.slice(0, 5).join(', ')}?)` : ''}`);
      }
      await writeReport(explainText(check), undefined);
    });
}

/** The checks that cover a control (or every control under it: cis:5.2 → cis:5.2.x). */
function controlText(control: string): string {
  const wanted = control.toLowerCase();
  const covers = (c: string) => c.toLowerCase() === wanted || c.toLowerCase().startsWith(wanted + '.') || c.toLowerCase().startsWith(wanted + '/');
  const list = CHECK_CATALOG.filter((c) => c.controls.some(covers));
  if (!list.length) {
    const framework = wanted.slice(0, wanted.indexOf(':'));
    const known = [...new Set(CHECK_CATALOG.flatMap((c) => c.controls).filter((c) => c.startsWith(framework + ':')))].sort();
    throw new UsageError(`no check covers ${control}${known.length ? ` (${framework} controls with checks: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''})` : ''}`);
  }
  const width = Math.max(...list.map((c) => c.id.length));
  return [
    `${control}: ${list.length} check${list.length === 1 ? '' : 's'}`,
    ...list.map((c) => `  ${c.id.padEnd(width)}  ${c.severity.padEnd(8)}  ${c.controls.filter(covers).join(', ')}  ${c.title}`),
    '',
    'kubeharden checks explain ID tells what one of them wants and how to fix it.',
    '',
  ].join('\n');
}

function checkMetadata(c: CheckMeta) {
  return {
    id: c.id, title: c.title, severity: c.severity, category: c.category, controls: c.controls,
    appliesTo: c.appliesTo, rationale: c.rationale, remediation: c.remediation,
    ...(c.pss ? { pss: c.pss } : {}), ...(c.optIn ? { optIn: true } : {}),
  };
}

export function explainText(c: CheckMeta): string {
  return [
    `${c.id} — ${c.title}`,
    `severity: ${c.severity}   category: ${c.category}   controls: ${c.controls.join(', ')}`,
    c.optIn ? 'opt-in: enable it under checks.enable in .kubeharden.yaml' : '',
    '',
    `Looks at: ${c.appliesTo}`,
    '',
    `Why: ${c.rationale}`,
    '',
    `Fix: ${c.remediation}`,
    c.examples
      ? `\nPasses:\n${indent(c.examples.pass)}\n\nFails:\n${indent(c.examples.fail)}` +
        (c.examples.beside ? `\n\nBoth beside:\n${indent(c.examples.beside)}` : '') +
        (c.examples.config ? `\n\nBoth with this .kubeharden.yaml:\n${indent(c.examples.config)}` : '')
      : '',
    '',
  ].filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}

function indent(s: string): string {
  return s.split('\n').map((l) => '    ' + l).join('\n');
}
