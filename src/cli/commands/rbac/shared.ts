// What the rbac subcommands share: loading the RBAC objects of manifests, their common
// options, and printing an answer as a table or JSON.

import { Command } from 'commander';
import { rbacModel, type RbacModel } from '../../../queries/rbac.js';
import { loadManifests } from '../../../sources/manifests.js';
import { formatOption, outputOption, resolveFormat, writeReport } from '../../output.js';
import { UsageError } from '../../usage-error.js';

export interface CommonFlags {
  format?: string;
  output?: string;
  defaults: boolean;
  defaultNamespace: string;
}

const FORMATS = ['table', 'json'];

export async function load(paths: string[], flags: CommonFlags): Promise<RbacModel> {
  const { inventory } = await loadManifests(paths.length ? paths : ['.']);
  const model = rbacModel(inventory, { bootstrap: flags.defaults, defaultNamespace: flags.defaultNamespace });
  for (const w of model.warnings) process.stderr.write(`kubeharden: warning: ${w.source}${w.line ? `:${w.line}` : ''}: ${w.message}\n`);
  return model;
}

export function common(cmd: Command): Command {
  return cmd
    .addOption(formatOption(FORMATS))
    .addOption(outputOption())
    .option('--no-defaults', "do not add Kubernetes' default roles and bindings (admin, edit, view, system:*)")
    .option('--default-namespace <ns>', 'namespace of objects without metadata.namespace, as `kubectl apply -n NS` would place them', 'default');
}

export async function emit(flags: CommonFlags, json: unknown, table: () => string): Promise<void> {
  const format = resolveFormat(flags.format, flags.output);
  await writeReport(format === 'json' ? JSON.stringify(json, null, 2) + '\n' : table(), flags.output);
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

