// JUnit XML, for CI pages (GitLab, Jenkins, Azure DevOps, GitHub test-report actions).
//
// Two shapes (--junit-cases): one test case per check (default), or one per object with
// findings. Only checks that ran are cases: a skipped check did not run on this input and would
// only add noise. A case fails only for findings at or above --fail-on, exactly the findings that
// fail the run; findings below it are listed in the case's system-out. Bodies are bounded, so a
// check with 10,000 findings does not make a 10 MB XML file that a CI page refuses to show.

import { SEVERITIES, type Severity } from '../result/result.js';
import { findingFile, type CheckResult, type Finding, type Result } from '../result/result.js';
import { blockingFindings, crashedChecks, whyNotRun, type FailOn } from '../result/fail-on.js';

export type JunitCases = 'check' | 'object';
export const JUNIT_CASES: readonly JunitCases[] = ['check', 'object'];

export interface JunitOptions {
  cases?: JunitCases;
  /** The scan's wall-clock time in seconds, for the suite's time attribute (checks are not timed one by one). */
  seconds?: number;
  /** When the scan ran, for the suite's timestamp attribute. */
  timestamp?: Date;
  /** Findings listed in one case body; the rest are counted. */
  maxLinesPerCase?: number;
}

export const JUNIT_MAX_LINES_PER_CASE = 100;
const MAX_LINE_CHARS = 500;

interface Case {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  failure?: { message: string; type: string; body: string };
  error?: string;
  skipped?: string;
  out?: string;
}

export function renderJunit(result: Result, options: JunitOptions = {}): string {
  const maxLines = options.maxLinesPerCase ?? JUNIT_MAX_LINES_PER_CASE;
  // The same rule as the exit code: at or above --fail-on and not excepted.
  const failingSet = new Set(blockingFindings(result.findings, result.settings.failOn as FailOn));
  const blocking = (f: Finding) => failingSet.has(f);
  const cases = options.cases === 'object' ? objectCases(result, blocking, maxLines) : checkCases(result, blocking, maxLines);
  const count = (pick: (c: Case) => unknown) => cases.filter(pick).length;
  const totals = `tests="${cases.length}" failures="${count((c) => c.failure)}" errors="${count((c) => c.error !== undefined)}" skipped="${count((c) => c.skipped !== undefined)}" time="${seconds(options.seconds)}"`;
  const stamp = options.timestamp ? ` timestamp="${options.timestamp.toISOString().replace(/\.\d+Z$/, '')}"` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kubeharden" ${totals}>`,
    `  <testsuite name="kubeharden ${attr(result.target.type)}" ${totals}${stamp}>`,
    ...cases.map(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** One case per check that ran: failed when it has a finding at or above --fail-on. */
function checkCases(result: Result, blocking: (f: Finding) => boolean, maxLines: number): Case[] {
  const byCheck = groupFindings(result.findings, (f) => f.check);
  return result.checks
    .filter((check) => check.status !== 'skip')
    .map((check) => {
      const findings = byCheck.get(check.id) ?? [];
      const base: Case = { name: `${check.id}: ${check.title}`, classname: `kubeharden.${check.category}`, file: findings[0] ? findingFile(findings[0]) : undefined, line: findings[0]?.location.line };
      if (check.status === 'error') return { ...base, error: whyNotRun(check) };
      const failing = findings.filter(blocking);
      const rest = findings.filter((f) => !blocking(f));
      const out = [check.status === 'manual' || (check.status === 'warn' && !findings.length) ? `${check.status}: ${check.reason ?? 'for a person to review'}` : '', bounded(rest, maxLines, findingLine)].filter(Boolean).join('\n');
      return {
        ...base,
        ...(failing.length ? { failure: { message: `${failing.length} finding(s) at or above --fail-on ${result.settings.failOn}, severity ${check.severity}`, type: check.severity, body: bounded(failing, maxLines, findingLine) } } : {}),
        ...(out ? { out } : {}),
      };
    });
}

/** One case per object with findings (objects without findings are not listed in a Result). */
function objectCases(result: Result, blocking: (f: Finding) => boolean, maxLines: number): Case[] {
  const checks = new Map<string, CheckResult>(result.checks.map((c) => [c.id, c]));
  const byObject = groupFindings(result.findings, (f) => `${f.node ?? ''}\u0000${f.resource.apiVersion}\u0000${f.resource.kind}\u0000${f.resource.namespace ?? ''}\u0000${f.resource.name}`);
  const cases: Case[] = [];
  for (const findings of byObject.values()) {
    const first = findings[0]!;
    const r = first.resource;
    const failing = findings.filter(blocking);
    const rest = findings.filter((f) => !blocking(f));
    const line = (f: Finding) => `${f.severity} ${f.check}${checks.get(f.check) ? ` (${checks.get(f.check)!.title})` : ''}: ${f.location.path ? `${f.location.path}: ` : ''}${f.message}`;
    cases.push({
      name: `${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name}${first.node ? ` on ${first.node}` : ''}`,
      classname: `kubeharden.${r.namespace ?? (first.node ? `node.${first.node}` : 'cluster')}`,
      file: findingFile(first),
      line: first.location.line,
      ...(failing.length ? { failure: { message: `${failing.length} finding(s) at or above --fail-on ${result.settings.failOn}`, type: mostSevere(failing), body: bounded(failing, maxLines, line) } } : {}),
      ...(rest.length ? { out: bounded(rest, maxLines, line) } : {}),
    });
  }
  // Errored checks have no object; they are cases of their own so they are not lost.
  for (const check of crashedChecks(result.checks)) cases.push({ name: `${check.id}: ${check.title}`, classname: `kubeharden.${check.category}`, error: whyNotRun(check) });
  return cases;
}

function renderCase(c: Case): string {
  const head = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}"${c.file ? ` file="${attr(c.file)}"` : ''}${c.line ? ` line="${c.line}"` : ''} time="0"`;
  const inner = [
    c.failure ? `<failure message="${attr(c.failure.message)}" type="${attr(c.failure.type)}">${text(c.failure.body)}</failure>` : '',
    c.error !== undefined ? `<error message="${attr(c.error)}"/>` : '',
    c.skipped !== undefined ? `<skipped message="${attr(c.skipped)}"/>` : '',
    c.out ? `<system-out>${text(c.out)}</system-out>` : '',
  ].join('');
  return inner ? `${head}>${inner}</testcase>` : `${head}/>`;
}

function findingLine(f: Finding): string {
  const r = f.resource;
  return `${findingFile(f)}:${f.location.line ?? 1}:${f.location.column ?? 1} ${f.severity} ${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name}: ${f.message}${f.exception ? ` (excepted: ${f.exception.reason})` : ''}`;
}

function bounded(findings: Finding[], maxLines: number, line: (f: Finding) => string): string {
  const lines = findings.slice(0, maxLines).map((f) => {
    const l = line(f);
    return l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l;
  });
  if (findings.length > maxLines) lines.push(`… and ${findings.length - maxLines} more (see the JSON report)`);
  return lines.join('\n');
}

function groupFindings(findings: Finding[], key: (f: Finding) => string): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = key(f);
    const list = groups.get(k);
    if (list) list.push(f);
    else groups.set(k, [f]);
  }
  return groups;
}

function mostSevere(findings: Finding[]): Severity {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? 'info';
}

function seconds(s: number | undefined): string {
  return s === undefined ? '0' : s.toFixed(3);
}

// XML 1.0 cannot carry most control characters at all, escaped or not.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
