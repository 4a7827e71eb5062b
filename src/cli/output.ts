// Shared output handling for every command that reports: --format, --output, --fail-on, exit codes.
// stdout carries only the report; progress and warnings go to stderr.

import { InvalidArgumentError, Option } from 'commander';
import { SEVERITIES } from '../result/result.js';
import type { Result } from '../result/result.js';
import { blockingFindings, crashedChecks, type FailOn } from '../result/fail-on.js';
import { jsonPieces, renderJson } from '../report/json.js';
import { ndjsonPieces, renderNdjson } from '../report/ndjson.js';
import { renderSummary, renderTable } from '../report/table.js';
import { renderSarif } from '../report/sarif.js';
import { renderJunit } from '../report/junit.js';
import { renderHtml } from '../report/html.js';
import { renderPolicyReports } from '../report/policyreport.js';
import { renderOpenReports } from '../report/openreports.js';
import { renderCodeQuality } from '../report/gitlab.js';
import type { ReportFlags, RunFacts } from './report-options.js';
import { renderMarkdown } from '../report/markdown.js';
import { writeFileAtomically, WriteError, type Content } from '../sources/atomic-write.js';
import { UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export type { FailOn };

/** Formats a scan can print; `sarif`, `junit`, `html`… are added here as reporters land. */
export const REPORT_FORMATS = ['table', 'json', 'ndjson', 'sarif', 'junit', 'html', 'markdown', 'policyreport', 'gitlab'] as const;
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

/**
 * A size in bytes. Units mean what they say, as in Kubernetes quantities: KB/K, MB/M, GB/G are
 * powers of 1000 (32MB = 32,000,000 bytes); KiB/Ki, MiB/Mi, GiB/Gi powers of 1024.
 */
export function parsePositiveSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(?:([kmg])(i?)b?)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('a size like 64MiB (64×1024² bytes), 64MB (64×1000² bytes), 512KiB or 1048576');
  const n = parseFloat(m[1] as string);
  const power = m[2] ? 'kmg'.indexOf((m[2] as string).toLowerCase()) + 1 : 0;
  const base = m[3] ? 1024 : 1000;
  const bytes = Math.floor(n * base ** power);
  if (bytes <= 0) throw new InvalidArgumentError('a size above 0 bytes');
  return bytes;
}

/** Default format: a table for people, JSON for pipes. */
export function resolveFormat(format: string | undefined, output: string | undefined): string {
  if (format) return format;
  if (output) {
    if (output.endsWith('.sarif') || output.endsWith('.sarif.json')) return 'sarif';
    if (output.endsWith('.json')) return 'json';
    if (output.endsWith('.ndjson') || output.endsWith('.jsonl')) return 'ndjson';
    if (output.endsWith('.xml')) return 'junit';
    if (output.endsWith('.html') || output.endsWith('.htm')) return 'html';
    if (output.endsWith('.md')) return 'markdown';
    // A .yaml name says YAML, which no format here is but policyreport: refuse to guess
    // rather than write a table into it.
    if (/\.ya?ml$/i.test(output)) {
      throw new UsageError(
        `${output}: cannot tell the report format from a .yaml name; give --format (json, sarif, junit, html, markdown, table, or policyreport for PolicyReport YAML) or name the file .json, .sarif, .xml, .html or .md`,
      );
    }
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

/** How the table shows a large result: --summary, and the size above which it switches by itself. */
export interface TableView {
  summary?: boolean;
  /** Above this many findings the table shows the summary view instead (0: never). */
  tableLimit?: number;
}

export const DEFAULT_TABLE_LIMIT = 200;

export function renderResult(result: Result, format: string, output: string | undefined, flags: ReportFlags & RunFacts & TableView = {}): string {
  const view: TableView = flags;
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'ndjson':
      return renderNdjson(result);
    case 'table': {
      const limit = view.tableLimit ?? DEFAULT_TABLE_LIMIT;
      const shown = result.findings.filter((f) => !f.exception).length;
      if (view.summary) return renderSummary(result, { color: useColor(output) });
      if (limit > 0 && shown > limit) {
        const note = `${shown} findings, more than --table-limit ${limit}: one line per check instead (--table-limit 0 lists every finding; --severity or --min-severity narrows them).`;
        return renderSummary(result, { color: useColor(output), note });
      }
      return renderTable(result, { color: useColor(output) });
    }
    case 'sarif':
      return renderSarif(result, { root: flags.sarifRoot ?? process.env.GITHUB_WORKSPACE });
    case 'junit':
      return renderJunit(result, { cases: flags.junitCases, seconds: flags.seconds, timestamp: flags.startedAt });
    case 'html':
      return renderHtml(result);
    case 'policyreport':
      // A node audit's reports are that node's, never the cluster scan's kubeharden-cluster.
      return (flags.policyReportApi === 'openreports.io' ? renderOpenReports : renderPolicyReports)(result, {
        now: new Date(),
        node: result.target.type === 'node' && typeof result.target.node === 'string' ? result.target.node : undefined,
        includeSkipped: flags.policyReportSkipped,
      });
    case 'markdown':
      return renderMarkdown(result);
    case 'gitlab':
      return renderCodeQuality(result, { root: flags.sarifRoot ?? process.env.CI_PROJECT_DIR });
    default:
      throw new InvalidArgumentError(`unknown format ${format}`);
  }
}

/**
 * The report as `writeReport` takes it: JSON and NDJSON as a producer of pieces (of about
 * 100 KB), so that a large result is never also held as one string the size of the report;
 * every other format as the text `renderResult` makes.
 */
export function reportContent(result: Result, format: string, output: string | undefined, flags: ReportFlags & RunFacts & TableView = {}): Content {
  const pieces = format === 'json' ? jsonPieces : format === 'ndjson' ? ndjsonPieces : undefined;
  if (!pieces) return renderResult(result, format, output, flags);
  return async (write) => {
    for (const piece of pieces(result)) await write(piece);
  };
}

/**
 * Writes the report atomically when --output is given (a complete new file renamed over the
 * old; see sources/atomic-write.ts). An output name that is a symbolic link is refused: in a shared
 * folder it is more likely planted than meant.
 */
export async function writeReport(text: Content, output: string | undefined): Promise<void> {
  if (!output) {
    if (typeof text === 'function') await writeInPiecesToStdout(text);
    else await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    return;
  }
  try {
    await writeFileAtomically(output, text, { symlinks: 'refuse' });
  } catch (err) {
    if (err instanceof WriteError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Pieces gathered to about 64 KiB per write (below the size at which V8 makes a string old at
 * once), each write waited for, so stdout never buffers the whole report.
 */
async function writeInPiecesToStdout(produce: Extract<Content, (...args: never[]) => unknown>): Promise<void> {
  const flush = (text: string) => new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
  let pending: string[] = [];
  let size = 0;
  await produce(async (chunk) => {
    pending.push(chunk);
    size += chunk.length;
    if (size < 64 * 1024) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    await flush(text);
  });
  await flush(pending.join(''));
}

/**
 * The one stderr line that says why a scan exits 1 or 2, whatever the format (a JSON or SARIF
 * report on stdout or in a file says nothing to the person reading the CI log).
 */
export function exitReason(result: Result, failOn: FailOn, code: number): string | undefined {
  if (code === EXIT_USAGE) {
    const failed = [...new Set(result.errors.filter((e) => e.level === 'error').map((e) => e.source))];
    const crashed = crashedChecks(result.checks).map((c) => c.id);
    if (!failed.length && !crashed.length) return undefined;
    const listed = (items: string[]) => items.slice(0, 3).join(', ') + (items.length > 3 ? ` and ${items.length - 3} more` : '');
    const parts = [
      failed.length ? `${failed.length} input${failed.length === 1 ? '' : 's'} could not be read: ${listed(failed)} (the report's errors say why)` : '',
      crashed.length ? `${crashed.length} check${crashed.length === 1 ? '' : 's'} could not run: ${listed(crashed)} (the report's checks say why; please report it as a bug)` : '',
    ];
    return `kubeharden: exit 2: ${parts.filter(Boolean).join('; ')}`;
  }
  if (code === EXIT_FINDINGS) {
    const blocking = blockingFindings(result.findings, failOn);
    const bySeverity = SEVERITIES.map((s) => [s, blocking.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    return `kubeharden: exit 1: ${blocking.length} finding${blocking.length === 1 ? '' : 's'} at or above ${failOn} (--fail-on ${failOn}): ${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}`;
  }
  return undefined;
}

/** Sets the exit code of a report and says on stderr why when it is not 0. */
export function finishReport(result: Result, failOn: FailOn): number {
  const code = exitCodeFor(result, failOn);
  const reason = exitReason(result, failOn, code);
  if (reason) process.stderr.write(reason + '\n');
  return code;
}

/** 2 when an input could not be read, else 1 when a finding is at or above --fail-on, else 0. */
export function exitCodeFor(result: Result, failOn: FailOn): number {
  // A check that crashed decided nothing: passing the scan on without it would be a pass it never gave.
  if (result.errors.some((e) => e.level === 'error') || crashedChecks(result.checks).length) return EXIT_USAGE;
  return blockingFindings(result.findings, failOn).length ? EXIT_FINDINGS : EXIT_OK;
}
