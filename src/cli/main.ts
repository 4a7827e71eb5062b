// The command line: parse arguments, call the library, print. Kept thin on purpose.

import { WriteError } from '../sources/atomic-write.js';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../engine/config.js';
import { BaselineError } from '../engine/baseline.js';
import { TOOL_VERSION } from '../version.js';
import { registerChecks } from './commands/checks.js';
import { registerNode } from './commands/node.js';
import { registerScan } from './commands/scan.js';
import { UsageError } from './usage-error.js';
import { registerFix } from './commands/fix.js';
import { registerEtcd } from './commands/etcd.js';
import { registerGenerate } from './commands/generate.js';
import { registerAuditPolicy } from './commands/audit-policy.js';
import { registerPsa } from './commands/psa.js';
import { registerNetpol } from './commands/netpol.js';
import { registerRbac } from './commands/rbac/index.js';
import { EXIT_USAGE } from './output.js';
import { registerCollect } from './commands/collect.js';
import { registerProbe } from './commands/probe.js';
import { registerMerge } from './commands/merge.js';
import { registerWebhook } from './commands/webhook.js';
import { registerVersion } from './commands/version.js';
import { registerCompletion } from './commands/completion.js';
import { ClusterSourceError } from '../sources/cluster/errors.js';
import { SnapshotError } from '../sources/snapshot.js';
import { keepHeapNearLive } from './heap.js';

function buildProgram(name = 'kubeharden'): Command {
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
  registerScan(program);
  registerCollect(program);
  registerMerge(program);
  registerProbe(program);
  registerChecks(program);
  registerFix(program);
  registerGenerate(program);
  registerEtcd(program);
  registerAuditPolicy(program);
  registerPsa(program);
  registerNode(program);
  registerNetpol(program);
  registerRbac(program);
  registerWebhook(program);
  registerVersion(program);
  registerCompletion(program);
  return program;
}

export async function main(argv: string[], options: { name?: string } = {}): Promise<number> {
  keepHeapNearLive();
  // `kubeharden … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const program = buildProgram(options.name);
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
