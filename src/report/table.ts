// The terminal report: findings grouped by file and resource, most severe first, then how to
// fix each failed check once, then a summary. Quiet when everything passes.

import type { Severity } from '../result/result.js';
import { findingFile, type Finding, type Result } from '../result/result.js';
import { howToFix } from './how-to-fix.js';
import { crashedChecks, whyNotRun } from '../result/fail-on.js';

export interface TableOptions {
  color: boolean;
  /** Also list excepted findings (they are always in JSON). */
  showExcepted?: boolean;
}

const SEVERITY_COLOR: Record<Severity, number> = { critical: 35, high: 31, medium: 33, low: 36, info: 90 };

export function renderTable(result: Result, options: TableOptions): string {
  const c = painter(options.color);
  const out: string[] = [];
  const shown = result.findings.filter((f) => options.showExcepted || !f.exception);

  const byFile = groupBy(shown, (f) => findingFile(f));
  for (const [file, findings] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push(c.bold(file));
    const byResource = groupBy(findings, (f) => resourceLabel(f));
    for (const [resource, list] of byResource) {
      out.push('  ' + c.bold(resource));
      list.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || rank(a.severity) - rank(b.severity));
      for (const f of list) {
        const r = f.location.rendered;
        // A rendered object's lines are those of the rendered output, said as such.
        const where = f.location.line ? `${f.location.line}:${f.location.column ?? 1}` : r ? `rendered:${r.line}` : '-';
        const sev = c.color(SEVERITY_COLOR[f.severity], f.severity.toUpperCase().padEnd(8));
        const excepted = f.exception ? c.dim(` [excepted by ${f.exception.source}: ${f.exception.reason}]`) : '';
        out.push(`    ${sev} ${where.padEnd(8)} ${f.message} ${c.dim(f.check)}${excepted}`);
      }
    }
    out.push('');
  }

  // Only checks with a finding shown here: a baseline or --severity may have left a failed
  // check with nothing to fix in this report.
  const fixes = checksToFix(result, shown);
  if (fixes.length) {
    out.push(c.bold('How to fix'));
    for (const { check: ch, count, remediation } of fixes) {
      out.push(`  ${c.color(SEVERITY_COLOR[ch.severity], '●')} ${c.bold(ch.id)} (${count} finding${count === 1 ? '' : 's'}; ${ch.controls.join(', ')})`);
      out.push(`    ${remediation}`);
    }
    out.push('');
  }

  // Who excepted what: every exception that covered a finding, with how many it covered.
  const exceptions = groupBy(result.findings.filter((f) => f.exception), (f) => `${f.exception!.source}\u0000${f.exception!.reason}`);
  if (exceptions.size) {
    out.push(c.bold('Exceptions'));
    for (const list of exceptions.values()) {
      const e = list[0]!.exception!;
      const checks = [...new Set(list.map((f) => f.check))];
      out.push(`  ${e.source}: ${list.length} finding(s) of ${checks.slice(0, 5).join(', ')}${checks.length > 5 ? ` and ${checks.length - 5} more` : ''}${e.expires ? ` (until ${e.expires})` : ''}: ${e.reason}`);
    }
    out.push('');
  }

  const crashed = crashedChecks(result.checks);
  if (crashed.length) {
    out.push(c.color(31, c.bold('Checks that could not run')));
    for (const ch of crashed) out.push(`  ${ch.id}: ${whyNotRun(ch)}`);
    out.push('');
  }

  if (result.errors.length) {
    const errors = result.errors.filter((e) => e.level === 'error');
    const warnings = result.errors.filter((e) => e.level === 'warning');
    for (const [label, list, code] of [['Errors', errors, 31], ['Warnings', warnings, 33]] as const) {
      if (!list.length) continue;
      out.push(c.color(code, c.bold(label)));
      for (const e of list) {
        const where = e.line ? `${e.source}:${e.line}${e.column ? ':' + e.column : ''}` : e.source;
        out.push(`  ${where}: ${e.message}`);
      }
      out.push('');
    }
  }

  out.push(...footer(result, c));
  return out.join('\n') + '\n';
}

/** The summary view: one line per check that has findings, then the summary. For large inputs. */
export function renderSummary(result: Result, options: TableOptions & { note?: string }): string {
  const c = painter(options.color);
  const out: string[] = [];
  if (options.note) out.push(c.dim(options.note), '');
  const shown = result.findings.filter((f) => !f.exception);
  const fixes = checksToFix(result, shown);
  const width = Math.max(5, ...fixes.map((x) => x.check.id.length));
  for (const { check: ch, count, remediation } of fixes) {
    const sev = c.color(SEVERITY_COLOR[ch.severity], ch.severity.toUpperCase().padEnd(8));
    out.push(`${sev} ${String(count).padStart(6)}  ${c.bold(ch.id.padEnd(width))}  ${c.dim(ch.controls.join(', '))}`);
    out.push(`${' '.repeat(17)}${remediation}`);
  }
  if (fixes.length) out.push('');
  out.push(...footer(result, c));
  return out.join('\n') + '\n';
}

function checksToFix(result: Result, shown: Finding[]): { check: Result['checks'][number]; count: number; remediation: string }[] {
  const byCheck = groupBy(shown, (f) => f.check);
  return result.checks
    .filter((ch) => byCheck.has(ch.id))
    .sort((a, b) => rank(a.severity) - rank(b.severity) || (byCheck.get(b.id)?.length ?? 0) - (byCheck.get(a.id)?.length ?? 0))
    .map((ch) => {
      const list = byCheck.get(ch.id) as Finding[];
      return { check: ch, count: list.length, remediation: howToFix(ch, list) };
    });
}

function footer(result: Result, c: Painter): string[] {
  const out: string[] = [];
  const skipped = result.skipped?.length ?? 0;
  if (skipped) out.push(c.dim(`Skipped ${skipped} path${skipped === 1 ? '' : 's'} that are not Kubernetes manifests or were left out (--verbose lists them).`));
  out.push(summaryLine(result, c));
  return out;
}

function summaryLine(result: Result, c: Painter): string {
  const counts = result.summary.findings;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const statuses = countBy(result.checks.map((ch) => ch.status));
  // Most skipped checks look at things this input does not hold (a node scan's file modes in
  // a manifest scan); the ones the user turned off are counted apart.
  const off = result.checks.filter((ch) => ch.status === 'skip' && /^(disabled|opt-in)/.test(ch.reason ?? '')).length;
  const notApplicable = (statuses.skip ?? 0) - off;
  const checkParts = [
    `${statuses.pass ?? 0} passed`,
    `${statuses.fail ?? 0} failed`,
    statuses.warn ? `${statuses.warn} to review` : '',
    statuses.manual ? `${statuses.manual} manual` : '',
    statuses.error ? `${statuses.error} errored` : '',
    `${notApplicable} not applicable to this input`,
    off ? `${off} turned off` : '',
  ].filter(Boolean);
  const parts = [`${result.summary.objects} object${result.summary.objects === 1 ? '' : 's'} scanned`, `checks: ${checkParts.join(', ')}`];
  const findingText = total === 0
    ? c.color(32, 'no findings')
    : (['critical', 'high', 'medium', 'low', 'info'] as Severity[])
        .filter((s) => counts[s] > 0)
        .map((s) => c.color(SEVERITY_COLOR[s], `${counts[s]} ${s}`))
        .join(', ');
  const excepted =
    (result.summary.excepted ? ` (${result.summary.excepted} excepted)` : '') +
    (result.summary.inBaseline ? ` (${result.summary.inBaseline} already in the baseline, not shown)` : '') +
    (result.summary.notReported ? ` (${result.summary.notReported} below or outside the severities asked for, not shown)` : '');
  const frameworks = Object.entries(result.summary.frameworks)
    .filter(([, s]) => s.pass + s.fail > 0)
    .map(([fw, s]) => `${fw.toUpperCase()} ${s.score}% (${s.pass}/${s.pass + s.fail} controls)`)
    .join(' · ');
  return [
    c.bold('Summary: ') + parts.join('; '),
    c.bold('Findings: ') + findingText + excepted,
    frameworks ? c.bold('Score: ') + frameworks : '',
  ].filter(Boolean).join('\n');
}

function resourceLabel(f: Finding): string {
  const r = f.resource;
  return r.namespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
}

function rank(s: Severity): number {
  return ['critical', 'high', 'medium', 'low', 'info'].indexOf(s);
}

export function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(item);
  }
  return map;
}

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

interface Painter {
  bold(s: string): string;
  dim(s: string): string;
  color(code: number, s: string): string;
}

function painter(enabled: boolean): Painter {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    color: (code, s) => (enabled ? `\x1b[${code}m${s}\x1b[39m` : s),
  };
}
