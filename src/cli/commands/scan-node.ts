// `kubeharden scan --node`: the node audit behind the scan command.

import { cisNodeChecks } from '../../checks/node/index.js';
import type { LoadedConfig } from '../../engine/config.js';
import { runNodeChecks } from '../../engine/node-run.js';
import type { Framework } from '../../engine/run.js';
import { renderNodeTable } from '../../report/node-table.js';
import { collectNodeFacts, NodeSourceError } from '../../sources/node/collect.js';
import { exitCodeFor, renderResult, resolveFormat, useColor, writeReport, type FailOn } from '../output.js';
import { UsageError } from './scan.js';

export interface NodeScanFlags {
  root?: string;
  proc?: string;
  format?: string;
  output?: string;
  failOn: FailOn;
  framework: string;
}

export async function scanNode(flags: NodeScanFlags, config: LoadedConfig): Promise<number> {
  let facts;
  try {
    facts = collectNodeFacts({ root: flags.root, procRoot: flags.proc });
  } catch (err) {
    if (err instanceof NodeSourceError) throw new UsageError(err.message);
    throw err;
  }
  const result = await runNodeChecks(facts, cisNodeChecks, { type: 'node', root: flags.root ?? '/', proc: facts.procRoot ?? null }, {
    disabled: config.disabled,
    severityOverrides: config.severityOverrides,
    exceptions: config.exceptions,
    frameworks: flags.framework === 'all' ? undefined : [flags.framework as Framework],
    failOn: flags.failOn,
  });
  if (config.file) result.target.config = config.file;
  const format = resolveFormat(flags.format, flags.output);
  const text = format === 'table' ? renderNodeTable(result, { color: useColor(flags.output) }) : renderResult(result, format, flags.output);
  await writeReport(text, flags.output);
  return exitCodeFor(result, flags.failOn);
}
