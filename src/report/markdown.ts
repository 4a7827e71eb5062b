// The Markdown report: what people paste into a pull-request comment or append to a GitHub
// Actions job summary ($GITHUB_STEP_SUMMARY). It renders on GitHub and reads as plain text:
// a verdict, counts and scores, then the findings grouped by check with how to fix each check
// once, then whatever was not decided (skipped, manual, errored), which must never look like a
// pass. Every value from the input goes through markdown-text.ts.
//
// GitHub cuts comments at 65,536 characters and step summaries at 1 MiB, so each check shows
// its first maxFindingsPerCheck findings and says how many more there are; counts stay exact.
// And the whole report stays within maxChars (default 65,536, a comment's limit): the summary
// always, then findings by check, most severe first, row by row until the budget is spent,
// then one line saying how many findings are not shown and where to see them.

import type { Severity } from '../result/result.js';
import type { CheckResult, Evidence, Finding, InputError, Result } from '../result/result.js';
import { mdCode, mdText } from './markdown-text.js';
import { groupBy } from './table.js';
import { howToFix } from './how-to-fix.js';
import { crashedChecks } from '../result/fail-on.js';

export interface MarkdownOptions {
  /** Findings listed per check (default 50); the rest are counted, not listed. */
  maxFindingsPerCheck?: number;
  /** The report's length limit in UTF-16 code units (default 65,536; never fewer than the summary needs). */
  maxChars?: number;
}

export const DEFAULT_MAX_FINDINGS_PER_CHECK = 50;
/** GitHub's limit on a pull-request comment (and an issue body), in characters. */
export const MARKDOWN_MAX_CHARS = 65_536;
/** Inputs named in the title; a scan of many files names the first ones. */
const MAX_TITLE_INPUTS = 10;

/**
 * A piece of the report after the summary. `sep` joins it to the piece before (a table row
 * joins with one newline); `findings` is how many findings it shows, for the count of those
 * left out; `withNext` keeps a table's head from being printed without a row.
 */
interface Block {
  text: string;
  sep?: string;
  findings?: number;
  withNext?: boolean;
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
// Coloured like the HTML report's badges, so a long comment can be skimmed by colour.
const SEVERITY_MARK: Record<Severity, string> = { critical: '🟣', high: '🔴', medium: '🟠', low: '🔵', info: '⚪' };
const CELL = { inTable: true };

export function renderMarkdown(result: Result, options: MarkdownOptions = {}): string {
  const limit = Math.max(0, Math.floor(options.maxFindingsPerCheck ?? DEFAULT_MAX_FINDINGS_PER_CHECK));
  const checks = new Map(result.checks.map((c) => [c.id, c]));
  const counted = result.findings.filter((f) => !f.exception);
  const excepted = result.findings.filter((f) => f.exception);
  const summary: string[] = [
    `## kubeharden: ${targetLabel(result)}`,
    verdict(result, counted),
    overview(result),
    ...nodeAudits(result),
    ...(counted.length || excepted.length ? [severityTable(result)] : []),
    ...frameworkTable(result),
  ];
  const body: Block[] = [
    ...findingsSection(counted, checks, limit),
    ...exceptedSection(excepted, limit),
    ...undecidedSections(result, new Set(counted.map((f) => f.check)), limit).map((text) => ({ text })),
    ...errorSections(result.errors),
  ];
  return fitToBudget(summary.join('\n\n'), body, options.maxChars ?? MARKDOWN_MAX_CHARS) + '\n';
}

/** The summary, then as many blocks as fit, then a line for what was left out. */
function fitToBudget(summary: string, body: Block[], maxChars: number): string {
  // Room for the closing line (its numbers are at most 10 digits) and the final newline.
  const reserve = leftOutLine(9_999_999_999, true).length + 4;
  let out = summary;
  let i = 0;
  for (; i < body.length; i++) {
    const block = body[i]!;
    const next = block.withNext ? body[i + 1] : undefined;
    const cost = (block.sep ?? '\n\n').length + block.text.length + (next ? (next.sep ?? '\n\n').length + next.text.length : 0);
    if (out.length + cost + reserve > maxChars) break;
    out += (block.sep ?? '\n\n') + block.text;
  }
  if (i === body.length) return out;
  const rest = body.slice(i);
  const findings = rest.reduce((n, b) => n + (b.findings ?? 0), 0);
  return out + '\n\n' + leftOutLine(findings, rest.some((b) => !b.findings && !b.sep));
}

function leftOutLine(findings: number, moreSections: boolean): string {
  const what = [findings ? plural(findings, 'more finding') : '', moreSections ? 'more sections' : ''].filter(Boolean).join(' and ');
  return `**… and ${what || 'more'}, see the artifact:** this comment is kept within GitHub's ${MARKDOWN_MAX_CHARS.toLocaleString('en-US')}-character limit; the full report is the JSON, HTML or SARIF file of the same scan.`;
}

function targetLabel(result: Result): string {
  const t = result.target;
  const str = (key: string) => (typeof t[key] === 'string' && t[key] !== '' ? (t[key] as string) : undefined);
  const list = (values: string[]) => values.map((v) => mdCode(v)).join(', ');
  switch (t.type) {
    case 'manifests': {
      const inputs = Array.isArray(t.inputs) ? (t.inputs as unknown[]).map(String) : [];
      const named = inputs.slice(0, MAX_TITLE_INPUTS).map((i) => (i === '-' ? 'standard input' : mdCode(i))).join(', ');
      const more = inputs.length > MAX_TITLE_INPUTS ? ` and ${inputs.length - MAX_TITLE_INPUTS} more` : '';
      return inputs.length ? `manifests in ${named}${more}` : 'manifests';
    }
    case 'node': {
      const name = str('node') ?? str('hostname');
      const root = str('root');
      return ['node', name ? mdCode(name) : '', root && root !== '/' ? `(host filesystem at ${mdCode(root)})` : ''].filter(Boolean).join(' ');
    }
    case 'snapshot':
      return `snapshot ${mdCode(str('file') ?? '')}${str('context') ? ` of context ${mdCode(str('context')!)}` : ''}`;
    case 'cluster': {
      if (str('source') === 'etcd' && Array.isArray(t.endpoints)) return `etcd ${list((t.endpoints as unknown[]).map(String))}`;
      if (str('source') === 'apiserver-probe') return `API server ${mdCode(str('url') ?? '')}`;
      const where = str('context') ? `context ${mdCode(str('context')!)}` : str('server') ? mdCode(str('server')!) : '';
      return ['cluster', where, str('namespace') ? `namespace ${mdCode(str('namespace')!)}` : ''].filter(Boolean).join(', ');
    }
    default:
      return mdText(String(t.type));
  }
}

/** One line that says whether the run fails, in the same terms as the exit code. */
function verdict(result: Result, counted: Finding[]): string {
  const total = counted.length;
  const unread = result.errors.filter((e) => e.level === 'error').length;
  const failOn = result.settings.failOn;
  const threshold = SEVERITIES.indexOf(failOn as Severity);
  const atOrAbove = threshold < 0 ? 0 : counted.filter((f) => SEVERITIES.indexOf(f.severity) <= threshold).length;
  const all = `${plural(total, 'finding')} in all`;
  if (unread) return `❌ **${plural(unread, 'input')} could not be read** (see Input errors); the rest was scanned: ${all}.`;
  if (atOrAbove) return `❌ **Fails:** ${plural(atOrAbove, 'finding')} at ${failOn} severity or above (\`--fail-on ${failOn}\`); ${all}.`;
  if (total === 0) {
    // Say what did not run in the same line, so "no findings" is never read as "all checked".
    const count = (...statuses: string[]) => result.checks.filter((c) => statuses.includes(c.status)).length;
    const notRun = [
      count('skip') ? `${count('skip')} did not run on this input` : '',
      count('manual', 'warn') ? `${count('manual', 'warn')} need a person` : '',
      count('error') ? `${count('error')} failed to run` : '',
    ].filter(Boolean);
    return `✅ **No findings:** ${plural(count('pass'), 'check')} passed${notRun.length ? `; ${notRun.join('; ')} (listed below)` : ''}.`;
  }
  if (threshold < 0) return `⚠️ **${plural(total, 'finding')}**; none fails the run (${mdCode(`--fail-on ${failOn}`)}).`;
  return `⚠️ **Passes \`--fail-on ${failOn}\`** with ${plural(total, 'finding')} below ${failOn} severity.`;
}

function overview(result: Result): string {
  const statuses = new Map<string, number>();
  for (const c of result.checks) statuses.set(c.status, (statuses.get(c.status) ?? 0) + 1);
  const n = (s: string) => statuses.get(s) ?? 0;
  const off = result.checks.filter(isTurnedOff).length;
  const checkParts = [
    `${n('pass')} passed`,
    `${n('fail')} failed`,
    n('warn') ? `${n('warn')} to review` : '',
    n('manual') ? `${n('manual')} manual` : '',
    n('error') ? `${n('error')} errored` : '',
    n('skip') - off ? `${n('skip') - off} not applicable to this input` : '',
    off ? `${off} turned off` : '',
  ].filter(Boolean);
  const settings = result.settings;
  return [
    `kubeharden ${mdText(result.tool.version)}`,
    plural(result.summary.objects, 'object') + ' scanned',
    `checks: ${checkParts.join(', ')}`,
    result.target.type === 'node' ? '' : `Pod Security Standards ${mdText(settings.pssLevel)} (${mdText(settings.pssVersion)})`,
  ].filter(Boolean).join(' · ');
}

/** In a cluster result that gathered node audits: which nodes were not audited, since their checks are not decided there. */
function nodeAudits(result: Result): string[] {
  const records = result.target.nodeAudits;
  if (!Array.isArray(records) || records.length === 0) return [];
  const current = records.filter((r) => r?.status === 'current').length;
  const others = records
    .filter((r) => r?.status !== 'current')
    .map((r) => `${mdCode(String(r?.node ?? '?'))} (${mdText(String(r?.status ?? 'unknown'))})`);
  return [`Node audits: ${current} current${others.length ? `; not gathered: ${others.join(', ')}` : ''}.`];
}

function severityTable(result: Result): string {
  const s = result.summary;
  const head = [...SEVERITIES.map(capitalise), 'Excepted', ...(s.inBaseline ? ['In baseline (not shown)'] : [])];
  const row = [...SEVERITIES.map((sev) => String(s.findings[sev])), String(s.excepted), ...(s.inBaseline ? [String(s.inBaseline)] : [])];
  return table(head, [row], head.map(() => 'right'));
}

function frameworkTable(result: Result): string[] {
  const rows = Object.entries(result.summary.frameworks)
    .filter(([, sc]) => sc.pass + sc.fail + sc.manual > 0)
    .map(([fw, sc]) => [mdText(fw.toUpperCase(), CELL), `${sc.score}%`, `${sc.pass} of ${sc.pass + sc.fail}`, String(sc.manual)]);
  if (!rows.length) return [];
  return [table(['Framework', 'Score', 'Controls passed', 'Manual'], rows, ['left', 'right', 'right', 'right'])];
}

function findingsSection(counted: Finding[], checks: Map<string, CheckResult>, limit: number): Block[] {
  if (!counted.length) return [];
  const groups = [...groupBy(counted, (f) => f.check)]
    .map(([id, findings]) => ({ id, findings, check: checks.get(id), severity: mostSevere(findings) }))
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: Block[] = [{ text: '### Findings' }];
  for (const { id, findings, check, severity } of groups) {
    const head: string[] = [];
    head.push(`#### ${SEVERITY_MARK[severity]} ${capitalise(severity)}: ${mdCode(id)}${check ? ` — ${mdText(check.title)}` : ''}`);
    const facts = [plural(findings.length, 'finding')];
    if (check && check.status !== 'fail') facts.push(`status: ${statusLabel(check)}`);
    const controls = check?.controls ?? findings[0]!.controls;
    if (controls.length) facts.push(`controls: ${controls.map((c) => mdCode(c)).join(', ')}`);
    head.push(facts.join(' · '));
    // A node check's reason usually repeats its one finding's message; say it only when it adds something.
    const reason = check?.reason;
    if (reason && (check.status !== 'fail' || reason.startsWith('incomplete')) && !findings.some((f) => f.message === reason)) head.push(`*Why:* ${mdText(reason)}`);
    if (check?.nodes?.length) head.push(`*Nodes:* ${nodeOutcomes(check)}`);
    const remediation = howToFix(check ?? { id }, findings);
    if (remediation) head.push(`**How to fix:** ${mdText(remediation)}`);
    if (check?.evidence?.length) head.push(`*Evidence:*\n${evidenceItems(check.evidence, limit).join('\n')}`);
    const shown = findings.slice(0, limit);
    out.push({ text: head.join('\n\n'), withNext: shown.length > 0 });
    if (shown.length) out.push(...tableBlocks(['Resource', 'Location', 'Field', 'Message'], shown.map((f) => [resourceCell(f), locationCell(f), mdCode(f.location.path, CELL), mdText(f.message, CELL)]), 1));
    if (findings.length > shown.length) out.push({ text: moreLine(findings.length - shown.length), findings: findings.length - shown.length });
  }
  return out;
}

function exceptedSection(excepted: Finding[], limit: number): Block[] {
  if (!excepted.length) return [];
  const rows: string[][] = [];
  let hidden = 0;
  for (const [id, findings] of groupBy(excepted, (f) => f.check)) {
    for (const f of findings.slice(0, limit)) {
      const e = f.exception!;
      const why = mdText(e.reason, CELL) + ` (${e.expires ? `until ${mdText(e.expires, CELL)}; ` : ''}${mdText(e.source, CELL)})`;
      rows.push([mdCode(id, CELL), resourceCell(f), locationCell(f), why]);
    }
    hidden += Math.max(0, findings.length - limit);
  }
  return [
    { text: `### Excepted: ${plural(excepted.length, 'finding')}, not counted`, withNext: rows.length > 0 },
    ...(rows.length ? tableBlocks(['Check', 'Resource', 'Location', 'Exception'], rows, 0) : []),
    ...(hidden ? [{ text: moreLine(hidden) }] : []),
  ];
}

/**
 * Checks that neither passed nor failed, and passes on partial input. Those a person must act
 * on are listed in full; the many that do not apply to this input are folded.
 */
function undecidedSections(result: Result, withFindings: Set<string>, limit: number): string[] {
  const errored = crashedChecks(result.checks);
  const review = result.checks.filter((c) => c.status === 'manual' || (c.status === 'warn' && !withFindings.has(c.id)));
  const partial = result.checks.filter((c) => c.status === 'pass' && c.reason?.startsWith('incomplete'));
  const skipped = result.checks.filter((c) => c.status === 'skip');
  const out: string[] = [];
  if (errored.length) out.push(`### Checks that failed to run: ${errored.length}`, checkList(errored, limit));
  if (review.length) out.push(`### For a person to review: ${plural(review.length, 'check')}`, checkList(review, limit));
  if (partial.length) out.push(`### Passed on partial input: ${plural(partial.length, 'check')}`, checkList(partial, limit));
  if (skipped.length) {
    const off = skipped.filter(isTurnedOff).length;
    const parts = [skipped.length - off ? `${skipped.length - off} do not apply to this input` : '', off ? `${off} are turned off` : ''].filter(Boolean);
    out.push(
      `### Not checked: ${plural(skipped.length, 'check')}`,
      `<details><summary>${skipped.length === 1 ? 'This check was' : `These ${skipped.length} checks were`} skipped, not passed: ${parts.join(', ')}. Reasons:</summary>`,
      skipped.map((c) => `- ${mdCode(c.id)}: ${mdText(c.reason ?? 'no reason given')}`).join('\n'),
      '</details>',
    );
  }
  return out;
}

function checkList(checks: CheckResult[], limit: number): string {
  return checks
    .map((c) => {
      const controls = c.controls.length ? ` (${c.controls.map((x) => mdCode(x)).join(', ')})` : '';
      const lines = [`- **${statusLabel(c)}** ${mdCode(c.id)}${controls}: ${mdText(c.title)}. ${mdText(c.reason ?? 'no reason given')}`];
      if (c.nodes?.length) lines.push(`  - *Nodes:* ${nodeOutcomes(c)}`);
      for (const item of evidenceItems(c.evidence ?? [], limit)) lines.push(`  ${item}`);
      return lines.join('\n');
    })
    .join('\n');
}

/** What a node check saw, one list item each: `subject`: value (where). */
function evidenceItems(evidence: Evidence[], limit: number): string[] {
  const items = evidence.slice(0, limit).map((e) => `- saw ${mdCode(e.subject)}: ${e.value === undefined ? 'not set' : mdCode(e.value)}${e.source ? ` (${mdText(e.source)})` : ''}`);
  if (evidence.length > limit) items.push(`- ${moreLine(evidence.length - limit)}`);
  return items;
}

/** In a cluster result that gathers node audits: the check's outcome on each node. */
function nodeOutcomes(check: CheckResult): string {
  return (check.nodes ?? []).map((n) => `${mdCode(n.node)} ${n.status}${n.reason && n.status !== 'pass' ? ` (${mdText(n.reason)})` : ''}`).join(', ');
}

function errorSections(errors: InputError[]): Block[] {
  const out: Block[] = [];
  for (const [title, level] of [['Input errors', 'error'], ['Input warnings', 'warning']] as const) {
    const list = errors.filter((e) => e.level === level);
    if (!list.length) continue;
    const rows = list.map((e) => [mdCode(`${e.source}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}`, CELL), mdText(e.message, CELL)]);
    out.push({ text: `### ${title}: ${list.length}`, withNext: true }, ...tableBlocks(['Input', 'Message'], rows, 0));
  }
  return out;
}

function resourceCell(f: Finding): string {
  const r = f.resource;
  const name = r.namespace ? `${r.namespace}/${r.name}` : r.name;
  return `${mdText(r.kind, CELL)} ${mdCode(name, CELL)}${f.node ? ` on node ${mdCode(f.node, CELL)}` : ''}`;
}

function locationCell(f: Finding): string {
  return mdCode(f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file, CELL);
}

function table(head: string[], rows: string[][], align: ('left' | 'right')[] = []): string {
  const rule = head.map((_, i) => (align[i] === 'right' ? '---:' : '---'));
  return [head, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A table as blocks: its head (kept with its first row), then one block per row. */
function tableBlocks(head: string[], rows: string[][], findingsPerRow: number, align: ('left' | 'right')[] = []): Block[] {
  const [headLines, ...rowLines] = table(head, rows, align).split('\n');
  const headText = `${headLines}\n${rowLines.shift()}`;
  return [{ text: headText, withNext: true }, ...rowLines.map((text) => ({ text, sep: '\n', findings: findingsPerRow }))];
}

function moreLine(count: number): string {
  return `… and ${count} more (see the JSON report)`;
}

function statusLabel(c: CheckResult): string {
  return { pass: 'passed', fail: 'failed', warn: 'to review', manual: 'manual', skip: 'skipped', error: 'error' }[c.status];
}

/** Skipped because the configuration turned the check off, not because the input lacks what it needs. */
function isTurnedOff(c: CheckResult): boolean {
  return c.status === 'skip' && /^(disabled|opt-in)/.test(c.reason ?? '');
}

function mostSevere(findings: Finding[]): Severity {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? 'info';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

