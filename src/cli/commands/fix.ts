import { promises as fs } from 'node:fs';
import { engineOptionsFrom } from '../engine-options.js';
import path from 'node:path';
import { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { ALL_CHECKS } from '../../checks/index.js';
import { loadConfig } from '../../engine/config.js';
import { runChecks } from '../../engine/run.js';
import { computeFixes } from '../../fix/apply-fixes.js';
import { loadManifests } from '../../sources/manifests.js';
import { STDIN_NAME } from '../../inventory/model.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../output.js';

interface FixFlags {
  write?: boolean;
  check?: string[];
  config?: string;
  pssLevel?: 'baseline' | 'restricted';
}

export function registerFix(program: Command): void {
  program
    .command('fix')
    .description('Apply the automatic fixes of findings to the manifests (a diff by default; --write to change the files)')
    .argument('<paths...>', 'files or folders of manifests, or - for stdin (the fixed YAML is printed)')
    .option('-w, --write', 'write the fixed files in place (each written whole, then renamed over the old one)')
    .option('--check <id...>', 'only the fixes of these checks')
    .option('-c, --config <file>', 'configuration file (default: .kubeharden.yaml if present); excepted findings are not fixed')
    .option('--pss-level <level>', 'Pod Security Standards level: baseline or restricted')
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden fix k8s/                               show the changes as a unified diff
  $ kubeharden fix k8s/ --check container-read-only-root-filesystem --write
  $ helm template my-chart | kubeharden fix -         print the fixed YAML

Only the lines a fix changes are edited: comments, quoting and layout elsewhere stay as they are.
Exit codes: 0 nothing left to fix or all fixes applied; 1 some fixes could not be applied; 2 usage error or unreadable input.`,
    )
    .action(async (paths: string[], flags: FixFlags) => {
      const known = new Set(ALL_CHECKS.map((c) => c.id));
      for (const id of flags.check ?? []) if (!known.has(id)) throw new Error(`unknown check id ${id}`);
      const config = await loadConfig(flags.config, known);
      const { inventory, texts } = await loadManifests(paths);
      const checks = flags.check ? ALL_CHECKS.filter((c) => flags.check!.includes(c.id)) : ALL_CHECKS;
      const { result, located } = runChecks(inventory, checks, { type: 'manifests' }, engineOptionsFrom(config, { pssLevel: flags.pssLevel }));
      const fixes = await computeFixes(located, texts);
      for (const e of result.errors) process.stderr.write(`kubeharden: ${e.source}${e.line ? ':' + e.line : ''}: ${e.message}\n`);

      let out = '';
      for (const f of fixes) {
        if (f.file === STDIN_NAME) out += f.after;
        else if (!flags.write) out += createTwoFilesPatch(f.file, f.file, f.before, f.after, '', '', { context: 3 }).replace(/\n?$/, '\n');
        else if (f.after !== f.before) await writeAtomically(f.file, f.after);
        for (const fail of f.failed) process.stderr.write(`kubeharden: ${f.file}: could not apply the fix of ${fail.check} at ${fail.path}: ${fail.reason}\n`);
      }
      if (paths.includes('-') && !fixes.some((f) => f.file === STDIN_NAME)) out += texts.get(STDIN_NAME) ?? '';
      if (out) process.stdout.write(out);

      const fixed = fixes.reduce((n, f) => n + f.fixed, 0);
      const failed = fixes.reduce((n, f) => n + f.failed.length, 0);
      const manual = located.filter((l) => !l.finding.exception && !l.finding.fix?.length).length;
      process.stderr.write(
        `kubeharden: ${flags.write ? 'applied' : 'would apply'} ${fixed} fix(es) in ${fixes.filter((f) => f.fixed).length} file(s)` +
          (failed ? `; ${failed} could not be applied` : '') +
          (manual ? `; ${manual} finding(s) need a manual change (see kubeharden scan)` : '') + '\n',
      );
      process.exitCode = result.errors.some((e) => e.level === 'error') ? EXIT_USAGE : failed ? EXIT_FINDINGS : EXIT_OK;
    });
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const { mode } = await fs.stat(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.kubeharden-${process.pid}.tmp`);
  await fs.writeFile(tmp, text, { mode });
  await fs.rename(tmp, file);
}
