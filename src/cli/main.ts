// The command line: parse arguments, call the library, print. Kept thin on purpose.

import { WriteError } from '../sources/atomic-write.js';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../engine/config.js';
import { BaselineError } from '../engine/baseline.js';
import { TOOL_VERSION } from '../version.js';
import { UsageError } from './usage-error.js';
import { EXIT_USAGE } from './output.js';
import { ClusterSourceError } from '../sources/cluster/errors.js';
import { SnapshotError } from '../sources/snapshot.js';
import { keepHeapNearLive } from './heap.js';

/** Every command, in the order help lists them, with the module that registers it. */
const COMMANDS: { name: string; load: () => Promise<(program: Command) => void> }[] = [
  { name: 'scan', load: async () => (await import('./commands/scan.js')).registerScan },
  { name: 'collect', load: async () => (await import('./commands/collect.js')).registerCollect },
  { name: 'merge', load: async () => (await import('./commands/merge.js')).registerMerge },
  { name: 'probe', load: async () => (await import('./commands/probe.js')).registerProbe },
  { name: 'checks', load: async () => (await import('./commands/checks.js')).registerChecks },
  { name: 'fix', load: async () => (await import('./commands/fix.js')).registerFix },
  { name: 'generate', load: async () => (await import('./commands/generate.js')).registerGenerate },
  { name: 'etcd', load: async () => (await import('./commands/etcd.js')).registerEtcd },
  { name: 'audit-policy', load: async () => (await import('./commands/audit-policy.js')).registerAuditPolicy },
  { name: 'psa', load: async () => (await import('./commands/psa.js')).registerPsa },
  { name: 'node', load: async () => (await import('./commands/node.js')).registerNode },
  { name: 'netpol', load: async () => (await import('./commands/netpol.js')).registerNetpol },
  { name: 'rbac', load: async () => (await import('./commands/rbac/index.js')).registerRbac },
  { name: 'webhook', load: async () => (await import('./commands/webhook.js')).registerWebhook },
  { name: 'version', load: async () => (await import('./commands/version.js')).registerVersion },
  { name: 'completion', load: async () => (await import('./commands/completion.js')).registerCompletion },
];

async function buildProgram(argv: string[], name = 'kubeharden'): Promise<Command> {
  const program = new Command(name)
    .description('How hardened is this Kubernetes cluster, exactly what is wrong, and exactly what to change.')
    .version(TOOL_VERSION)
    .showHelpAfterError('(add --help for usage and examples)')
    .exitOverride();
  program.addHelpText(
    'after',
    `
Examples:
  $ kubeharden scan examples/demo-cluster
  $ helm template my-chart | kubeharden scan - --format json
  $ kubeharden checks explain container-read-only-root-filesystem
  $ kubectl kubeharden scan --cluster             the same, as a kubectl plugin
  $ kubeharden version`,
  );
  // Only the command asked for is loaded: loading modules is most of the start-up, and every
  // command's modules took about as long again as those of a scan (measured: importing the CLI
  // 0.46 s against 0.25 s for the scan engine alone). The top-level help, an unknown word,
  // `help` and `completion` load them all.
  const asked = COMMANDS.find((c) => c.name === argv[2] && c.name !== 'completion');
  for (const command of asked ? [asked] : COMMANDS) (await command.load())(program);
  return program;
}

export async function main(argv: string[], options: { name?: string } = {}): Promise<number> {
  keepHeapNearLive();
  // `kubeharden … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const program = await buildProgram(argv, options.name);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other parse problem is a usage error.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof BaselineError || err instanceof ClusterSourceError || err instanceof SnapshotError || err instanceof WriteError) {
      process.stderr.write(`kubeharden: ${err.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`kubeharden: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT_USAGE;
  }
}
