// `kubeharden merge`: node audits saved as files (the logs of node Jobs, `scan --node -o`)
// gathered into one result with a cluster scan's, by the same rules as a live cluster scan
// gathers published ones (src/engine/node-audits.ts).

import { promises as fs } from 'node:fs';
import { Command, Option } from 'commander';
import { ALL_CHECKS } from '../../checks/index.js';
import { loadConfig } from '../../engine/config.js';
import { gatherNodeAudits, nodeAuditFromValue, type NodeAudit, type UnreadableNodeAudit } from '../../engine/node-audits.js';
import { RESULT_SCHEMA_VERSION, type Result } from '../../result/result.js';
import { FRAMEWORKS, runChecks, type Framework } from '../../engine/run.js';
import { Inventory } from '../../inventory/inventory.js';
import { describeFsError } from '../../sources/manifests.js';
import { exitCodeFor, failOnOption, formatOption, outputOption, renderResult, resolveFormat, writeReport, type FailOn } from '../output.js';
import { UsageError } from '../usage-error.js';
import { parseDuration } from '../option-values.js';

interface MergeFlags {
  format?: string;
  output?: string;
  failOn: FailOn;
  framework: string;
  config?: string;
  maxAge?: number;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('Gather node audit results (scan --node JSON) into one result, with a cluster scan\'s if given')
    .argument('<results...>', 'JSON results: at most one of a cluster, snapshot or manifests scan, and any number of node audits')
    .addOption(formatOption())
    .addOption(outputOption())
    .addOption(failOnOption())
    .addOption(new Option('--framework <name>', 'only checks mapped to this framework').choices([...FRAMEWORKS, 'all']).default('all'))
    .option('-c, --config <file>', 'configuration file (default: .kubeharden.yaml if present): disabled checks, severities, exceptions')
    .option('--max-age <duration>', 'leave out node audits older than this (default: 48h; 0 is not allowed)', parseDuration)
    .addHelpText(
      'after',
      `
Each node audit must name its node (target.node: scan --node sets it from --node-name, $NODE_NAME
or the host name). Two audits of one node: the newer counts. Every check of the node audits gets
one outcome per node (checks[].nodes) and the worst of them as its status; node findings carry
their node. Unlike a live cluster scan, merge cannot tell which nodes have no audit at all.

Examples:
  $ for n in $(kubectl get nodes -o name | cut -d/ -f2); do
      kubectl -n kubeharden-node logs job/kubeharden-node-audit-$n > node-$n.json; done
  $ kubeharden scan --cluster -f json -o cluster.json
  $ kubeharden merge cluster.json node-*.json -f table
  $ kubeharden merge node-*.json -o nodes.json          node audits only

Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 usage error or a result could not be read.`,
    )
    .action(async (files: string[], flags: MergeFlags) => {
      const config = await loadConfig(flags.config, new Set(ALL_CHECKS.map((c) => c.id)));
      const frameworks = flags.framework === 'all' ? undefined : [flags.framework as Framework];
      let base: Result | undefined;
      const audits: NodeAudit[] = [];
      const unreadable: UnreadableNodeAudit[] = [];
      for (const file of files) {
        let text: string;
        try {
          text = await fs.readFile(file, 'utf8');
        } catch (err) {
          throw new UsageError(`${file}: ${describeFsError(err)}`);
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (err) {
          throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
        }
        if ((value as { target?: { type?: unknown } })?.target?.type === 'node') {
          const read = nodeAuditFromValue(value, file);
          if ('problem' in read) unreadable.push(read);
          else audits.push(read);
          continue;
        }
        if (base) throw new UsageError(`${file}: only one result that is not a node audit can be merged (the first was ${String(base.target.file ?? base.target.type)})`);
        base = baseResult(value, file);
        if (base.target.nodeAudits !== undefined) {
          throw new UsageError(`${file} already gathers node audits (target.nodeAudits), so its node findings would be counted twice; merge node audits into a result that has none`);
        }
      }
      const result = base ?? emptyResult(frameworks, flags.failOn);
      gatherNodeAudits(result, audits, {
        now: new Date(),
        maxAgeMs: flags.maxAge,
        unreadable,
        disabled: config.disabled,
        severityOverrides: config.severityOverrides,
        exceptions: config.exceptions,
        frameworks,
      });
      const format = resolveFormat(flags.format, flags.output);
      await writeReport(renderResult(result, format, flags.output), flags.output);
      process.exitCode = exitCodeFor(result, flags.failOn);
    });
}

function baseResult(value: unknown, file: string): Result {
  const r = value as Partial<Result>;
  if (r?.schemaVersion !== RESULT_SCHEMA_VERSION || !Array.isArray(r.checks) || !Array.isArray(r.findings) || !Array.isArray(r.errors) || typeof r.target !== 'object' || !r.summary) {
    throw new UsageError(`${file}: not a kubeharden JSON result (schemaVersion ${RESULT_SCHEMA_VERSION} with target, summary, checks, findings and errors)`);
  }
  return r as Result;
}

/** The result of no cluster objects, for node audits merged on their own: what the engine gives for an empty input. */
function emptyResult(frameworks: Framework[] | undefined, failOn: FailOn): Result {
  return runChecks(new Inventory(), [], { type: 'cluster', nodeAuditsOnly: true }, { frameworks, failOn }).result;
}
