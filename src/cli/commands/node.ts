// `kubeharden node baseline` and `kubeharden node drift`: file integrity of a node's
// critical files (manifests, kubeconfigs, PKI, kubelet config, etcd data directory).

import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { driftResult } from '../../engine/node-drift.js';
import { collectNodeFacts, NodeSourceError } from '../../sources/node/collect.js';
import { asBaseline, recordBaseline } from '../../sources/node/integrity.js';
import { exitCodeFor, failOnOption, formatOption, outputOption, renderResult, resolveFormat, writeReport, type FailOn } from '../output.js';
import { UsageError } from '../usage-error.js';

function facts(root: string | undefined, proc: string | undefined) {
  try {
    return collectNodeFacts({ root, procRoot: proc });
  } catch (err) {
    if (err instanceof NodeSourceError) throw new UsageError(err.message);
    throw err;
  }
}

export function registerNode(program: Command): void {
  const node = program.command('node').description('File integrity of a node\'s critical files: record a baseline, report drift from it');

  node
    .command('baseline')
    .description('Record sha256, mode, owner and group of every critical file of this node')
    .requiredOption('-o, --output <file>', 'where to write the baseline (JSON)')
    .option('--root <dir>', 'read a host filesystem mounted at this folder')
    .option('--proc <dir>', 'read processes from this proc folder (default /proc, none with --root)')
    .addHelpText('after', `
Examples:
  $ sudo kubeharden node baseline -o /var/lib/kubeharden/baseline.json
  $ kubeharden node baseline --root /host -o baseline.json

Files recorded: static pod manifests, /etc/kubernetes/*.conf, /etc/kubernetes/pki/**, the
kubelet config and systemd drop-ins, files the API server names (audit policy, encryption
config…), and the etcd data directory (mode and owner only).`)
    .action(async (flags: { output: string; root?: string; proc?: string }) => {
      const baseline = recordBaseline(facts(flags.root, flags.proc));
      for (const p of baseline.problems) process.stderr.write(`kubeharden: warning: not read: ${p}\n`);
      await writeReport(JSON.stringify(baseline, null, 2) + '\n', flags.output);
      process.stderr.write(`kubeharden: recorded ${baseline.files.length} files in ${flags.output}\n`);
    });

  node
    .command('drift')
    .description('Report critical files added, removed, changed or re-permissioned since a baseline')
    .requiredOption('-b, --baseline <file>', 'a baseline written by kubeharden node baseline')
    .option('--root <dir>', 'read a host filesystem mounted at this folder')
    .option('--proc <dir>', 'read processes from this proc folder (default /proc, none with --root)')
    .addOption(formatOption())
    .addOption(outputOption())
    .addOption(failOnOption())
    .addHelpText('after', `
Examples:
  $ sudo kubeharden node drift -b /var/lib/kubeharden/baseline.json
  $ kubeharden node drift -b baseline.json --root /host --format json | jq '.findings[].message'

Exit codes: 0 no drift at or above --fail-on (changes and permission changes are high, added
and removed files medium); 1 there is; 2 the baseline or --root could not be read.`)
    .action(async (flags: { baseline: string; root?: string; proc?: string; format?: string; output?: string; failOn: FailOn }) => {
      let text: string;
      try {
        text = await fs.readFile(flags.baseline, 'utf8');
      } catch (err) {
        throw new UsageError(`--baseline ${flags.baseline}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new UsageError(`--baseline ${flags.baseline}: not JSON`);
      }
      const before = asBaseline(parsed);
      if (typeof before === 'string') throw new UsageError(`--baseline ${flags.baseline}: ${before}`);
      const after = recordBaseline(facts(flags.root, flags.proc));
      const result = driftResult(before, after, { type: 'node', root: flags.root ?? '/' }, flags.failOn);
      const format = resolveFormat(flags.format, flags.output);
      await writeReport(renderResult(result, format, flags.output), flags.output);
      process.exitCode = exitCodeFor(result, flags.failOn);
    });
}
