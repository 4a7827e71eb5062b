// Shared output handling for every command that reports: --format, --output, --fail-on, exit codes.
// stdout carries only the report; progress and warnings go to stderr.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { SEVERITIES } from '../result/result.js';
import type { Result } from '../result/result.js';
import { blockingFindings, type FailOn } from '../engine/fail-on.js';
import { renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { renderSarif } from '../report/sarif.js';
import { renderJunit } from '../report/junit.js';
import { renderHtml } from '../report/html.js';
import { renderPolicyReports } from '../report/policyreport.js';
import { renderMarkdown } from '../report/markdown.js';
import { findCheck } from '../checks/index.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export type { FailOn };

/** Formats a scan can print; `sarif`, `junit`, `html`… are added here as reporters land. */
const REPORT_FORMATS = ['table', 'json', 'sarif', 'junit', 'html', 'markdown', 'policyreport'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function formatOption(formats: readonly string[] = REPORT_FORMATS): Option {
  return new Option('-f, --format <format>', 'report format (default: table on a terminal, json otherwise)').choices([...formats]);
}

export function failOnOption(): Option {
  return new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
    .choices([...SEVERITIES.filter((s) => s !== 'info'), 'info', 'none'])
    .default('high');
}

export function outputOption(): Option {
  return new Option('-o, --output <file>', 'write the report to a file instead of stdout');
}

export function parsePositiveSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('a size like 64MiB, 512KiB or 1048576');
  const n = parseFloat(m[1] as string);
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(n * mult);
}

/** Default format: a table for people, JSON for pipes. */
export function resolveFormat(format: string | undefined, output: string | undefined): string {
  if (format) return format;
  if (output) {
    if (output.endsWith('.sarif') || output.endsWith('.sarif.json')) return 'sarif';
    if (output.endsWith('.json')) return 'json';
    if (output.endsWith('.xml')) return 'junit';
    if (output.endsWith('.html') || output.endsWith('.htm')) return 'html';
    if (output.endsWith('.md')) return 'markdown';
    return 'table';
  }
  return process.stdout.isTTY ? 'table' : 'json';
}

export function useColor(output: string | undefined): boolean {
  if (output) return false;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}

export function renderResult(result: Result, format: string, output: string | undefined): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'table':
      return renderTable(result, { color: useColor(output) });
    case 'sarif':
      return renderSarif(result, (id) => findCheck(id));
    case 'junit':
      return renderJunit(result);
    case 'html':
      return renderHtml(result);
    case 'policyreport':
      // A node audit's reports are that node's, never the cluster scan's kubeharden-cluster.
      return renderPolicyReports(result, { now: new Date(), node: result.target.type === 'node' && typeof result.target.node === 'string' ? result.target.node : undefined });
    case 'markdown':
      return renderMarkdown(result);
    default:
      throw new InvalidArgumentError(`unknown format ${format}`);
  }
}

/** Writes the report atomically when --output is given (a complete new file renamed over the old). */
export async function writeReport(text: string, output: string | undefined): Promise<void> {
  if (!output) {
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    return;
  }
  const tmp = path.join(path.dirname(output), `.${path.basename(output)}.${process.pid}.tmp`);
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, output);
}

/** 2 when an input could not be read, else 1 when a finding is at or above --fail-on, else 0. */
export function exitCodeFor(result: Result, failOn: FailOn): number {
  if (result.errors.some((e) => e.level === 'error')) return EXIT_USAGE;
  return blockingFindings(result.findings, failOn).length ? EXIT_FINDINGS : EXIT_OK;
}
