// What the rbac subcommands share: loading the RBAC objects of manifests, their common
// options, and printing an answer as a table or JSON.

import { Command } from 'commander';
import { RbacEngine } from '../../../analysis/rbac/engine.js';
import type { Inventory } from '../../../inventory/inventory.js';
import { loadManifests } from '../../../sources/manifests.js';
import { formatOption, outputOption, resolveFormat, writeReport } from '../../output.js';
import { UsageError } from '../../usage-error.js';

export interface CommonFlags {
  format?: string;
  output?: string;
  defaults: boolean;
  defaultNamespace: string;
}

interface Loaded {
  inventory: Inventory;
  engine: RbacEngine;
  warnings: { source: string; line?: number; message: string }[];
  /** True when some input could not be read at all (exit code 2). */
  unreadable: boolean;
}

const FORMATS = ['table', 'json'];

export async function load(paths: string[], flags: CommonFlags): Promise<Loaded> {
  const { inventory } = await loadManifests(paths.length ? paths : ['.']);
  const engine = RbacEngine.fromInventory(inventory, { bootstrap: flags.defaults, defaultNamespace: flags.defaultNamespace });
  const warnings = [
    ...inventory.problems.map((p) => ({ source: p.source, line: p.line, message: p.message })),
    ...engine.problems.map((p) => ({
      source: p.object ? `${p.object.source.file} (${p.object.kind} ${p.object.namespace ? p.object.namespace + '/' : ''}${p.object.name})` : '-',
      line: p.object?.source.line,
      message: `${p.path.length ? formatPathText(p.path) + ': ' : ''}${p.message}`,
    })),
  ];
  for (const w of warnings) process.stderr.write(`kubeharden: warning: ${w.source}${w.line ? `:${w.line}` : ''}: ${w.message}\n`);
  return { inventory, engine, warnings, unreadable: inventory.problems.some((p) => p.level === 'error') };
}

function formatPathText(path: (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
}

export function common(cmd: Command): Command {
  return cmd
    .addOption(formatOption(FORMATS))
    .addOption(outputOption())
    .option('--no-defaults', "do not add Kubernetes' default roles and bindings (admin, edit, view, system:*)")
    .option('--default-namespace <ns>', 'namespace of objects without metadata.namespace, as `kubectl apply -n NS` would place them', 'default');
}

/** Pads columns of a small table for the terminal. */
export function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
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

