import { Command } from 'commander';
import { readCluster } from '../../sources/cluster/source.js';
import { writeSnapshot } from '../../sources/snapshot.js';
import { addClusterOptions, clusterReadOptions, type ClusterFlags } from './cluster-input.js';
import { UsageError } from '../usage-error.js';

interface CollectFlags extends ClusterFlags {
  output?: string;
}

export function registerCollect(program: Command): void {
  const command = program
    .command('collect')
    .description('Save what a cluster scan reads (objects, and what could not be read) as a snapshot to scan offline')
    .option('-o, --output <file>', 'the snapshot file to write (JSON)');
  addClusterOptions(command)
    .addHelpText(
      'after',
      `
Secrets are read as metadata only: their values are never in a snapshot.

Examples:
  $ kubeharden collect --cluster -o prod.json                 the current context
  $ kubeharden collect --cluster --context prod -n shop -o shop.json
  $ kubeharden scan prod.json                                 scan it later, offline, same result

Exit codes: 0 written; 2 usage error or the cluster could not be read.`,
    )
    .action(async (flags: CollectFlags) => {
      if (!flags.cluster) throw new UsageError('collect needs a source: --cluster');
      if (!flags.output) throw new UsageError('collect needs --output FILE for the snapshot');
      const read = await readCluster(clusterReadOptions(flags));
      await writeSnapshot(flags.output, read);
      const unavailable = read.cluster.unavailable.map((u) => u.kind);
      process.stderr.write(
        `kubeharden: wrote ${read.inventory.size} objects of context ${read.cluster.context} to ${flags.output}` +
          (unavailable.length ? `; could not read: ${unavailable.join(', ')} (see the snapshot's cluster.unavailable)` : '') +
          '\n',
      );
    });
}
