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
import { writeFileAtomically, WriteError } from '../../sources/atomic-write.js';

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
  $ kubeharden fix k8s/ > fix.diff && git apply fix.diff   the diff has a/ and b/ paths, as git writes them
  $ kubeharden fix k8s/ --check container-read-only-root-filesystem --write
  $ helm template my-chart | kubeharden fix -         print the fixed YAML

Only the lines a fix changes are edited: comments, quoting, line endings and layout elsewhere
stay as they are. --write replaces each file whole, keeping its mode and owner; a symlinked
manifest is followed (its target is fixed, the link stays); a read-only file is not rewritten.
Exit codes: 0 nothing left to fix or all fixes applied; 1 some fixes could not be applied; 2 usage error, unreadable input or a file that could not be written.`,
    )
    .action(async (paths: string[], flags: FixFlags) => {
      const known = new Set(ALL_CHECKS.map((c) => c.id));
      for (const id of flags.check ?? []) if (!known.has(id)) throw new Error(`unknown check id ${id}`);
      const config = await loadConfig(flags.config, known);
      const { inventory, texts } = await loadManifests(paths);
      const checks = flags.check ? ALL_CHECKS.filter((c) => flags.check!.includes(c.id)) : ALL_CHECKS;
      const { result, located } = runChecks(inventory, checks, { type: 'manifests' }, engineOptionsFrom(config, { pssLevel: flags.pssLevel }));
      // Objects rendered from a chart or a kustomization are changed in their templates, by
      // hand: the rendered text is no file to patch.
      const rendered = located.filter((l) => l.object.source.file !== STDIN_NAME && l.object.source.file.startsWith('<'));
      const fixes = await computeFixes(located.filter((l) => !rendered.includes(l)), texts);
      if (rendered.length) {
        process.stderr.write(`kubeharden: ${rendered.length} finding(s) in rendered Helm charts or kustomizations are left to change in their templates (see kubeharden scan)\n`);
      }
      for (const e of result.errors) process.stderr.write(`kubeharden: ${e.source}${e.line ? ':' + e.line : ''}: ${e.message}\n`);

      let out = '';
      let unwritten = 0;
      for (const f of fixes) {
        if (f.file === STDIN_NAME) out += f.after;
        else if (!flags.write) out += unifiedDiff(f.file, f.before, f.after);
        else if (f.after !== f.before) {
          try {
            await writeAtomically(f.file, f.after);
          } catch (err) {
            if (!(err instanceof WriteError)) throw err;
            // One file that cannot be written costs that file; the others are still fixed.
            process.stderr.write(`kubeharden: ${err.message}\n`);
            unwritten++;
            continue;
          }
        }
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
      process.exitCode = result.errors.some((e) => e.level === 'error') || unwritten ? EXIT_USAGE : failed ? EXIT_FINDINGS : EXIT_OK;
    });
}

/**
 * A diff `git apply` and `patch -p1` take as they are: a/ and b/ prefixes on the path,
 * relative to the working folder when the file is inside it.
 */
export function unifiedDiff(file: string, before: string, after: string): string {
  const rel = path.relative(process.cwd(), file);
  const shown = (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file).split(path.sep).join('/');
  return createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, '', '', { context: 3 })
    .replace(/^=+\n/, '') // the library's separator line, which git's own diffs do not have
    .replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2') // and the tab before an empty header
    .replace(/\n?$/, '\n');
}

/**
 * The fixed file replaces the old one whole (sources/atomic-write.ts), with its mode and owner. A
 * symlinked manifest is followed deliberately: its target is fixed and the link stays.
 */
async function writeAtomically(file: string, text: string): Promise<void> {
  await writeFileAtomically(file, text, { symlinks: 'follow' });
}
