// SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning and others).
//
// GitHub's documented limits (docs.github.com, "SARIF support for code scanning" and
// "Troubleshooting SARIF uploads"): an upload is at most 10 MB gzip-compressed; a run may hold
// 25,000 results but only the top 5,000 are kept; a rule may carry 20 tags but only 10 are shown.
// We stay inside all of them on our own terms: at most 5,000 results per run, the most severe
// kept, and the whole file at most 10 MB *uncompressed* (so it fits whether or not the uploader
// compresses it). What was left out is said in the run's tool notifications.
//
// File locations are relative to the repository root (`uriBaseId: %SRCROOT%`), which is what
// code scanning matches against the checkout, even when the scan was given absolute paths.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEVERITIES, type Severity } from '../result/result.js';
import type { CheckResult, Finding, Result } from '../result/result.js';
import { checkDocsUrl, REPOSITORY_URL } from '../result/docs-link.js';
import { crashedChecks, whyNotRun } from '../result/fail-on.js';

export const SARIF_MAX_RESULTS = 5000;
export const SARIF_MAX_BYTES = 10 * 1000 * 1000;
export const SARIF_MAX_DISPLAYED_TAGS = 10;
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub ranks code-scanning alerts by this CVSS-like number.
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export interface SarifOptions {
  /** The repository root that URIs are relative to (default: the current folder). */
  root?: string;
  /** The folder relative finding paths were given from (default: the current folder). */
  cwd?: string;
  /** Overrides of the limits, for tests of the trimming itself. */
  maxResults?: number;
  maxBytes?: number;
}

export function renderSarif(result: Result, options: SarifOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const root = path.resolve(cwd, options.root ?? '.');
  const maxResults = options.maxResults ?? SARIF_MAX_RESULTS;
  const maxBytes = options.maxBytes ?? SARIF_MAX_BYTES;
  const checksById = new Map<string, CheckResult>(result.checks.map((c) => [c.id, c]));
  // Most severe first; at one severity, findings that count before excepted ones.
  const ranked = result.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITIES.indexOf(a.f.severity) - SEVERITIES.indexOf(b.f.severity) || Number(!!a.f.exception) - Number(!!b.f.exception) || a.i - b.i)
    .map(({ f }) => f);

  let keep = Math.min(ranked.length, maxResults);
  for (;;) {
    // The kept results in the Result's own order (most severe first, then by file and line).
    const kept = keep === ranked.length ? result.findings : keepOrder(result.findings, ranked.slice(0, keep));
    // Pretty-printed when nothing was trimmed; compact when size matters.
    const text = JSON.stringify(buildLog(result, kept, ranked.length, { root, cwd, checksById }), null, keep === ranked.length ? 2 : undefined) + '\n';
    const bytes = Buffer.byteLength(text);
    if (bytes <= maxBytes || keep === 0) return text;
    // Shrink in proportion to the overshoot, with a margin so this ends in a step or two.
    keep = Math.min(keep - 1, Math.floor((keep * maxBytes) / bytes * 0.95));
  }
}

function keepOrder(all: Finding[], kept: Finding[]): Finding[] {
  const set = new Set(kept);
  return all.filter((f) => set.has(f));
}

interface BuildContext {
  root: string;
  cwd: string;
  checksById: Map<string, CheckResult>;
}

function buildLog(result: Result, kept: Finding[], total: number, ctx: BuildContext) {
  const ruleIds = [...new Set(kept.map((f) => f.check))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const left = total - kept.length;
  const notifications = left
    ? [
        {
          level: 'warning',
          descriptor: { id: 'kubeharden/results-left-out' },
          message: {
            text:
              `${left} of ${total} results were left out to stay within code scanning's limits ` +
              `(${SARIF_MAX_RESULTS} results per run, ${SARIF_MAX_BYTES / 1e6} MB per file); the most severe ${kept.length} are listed. ` +
              'See all of them with `kubeharden scan --format json` (or --format html), or narrow the scan with --framework or by turning checks off in .kubeharden.yaml.',
          },
        },
      ]
    : [];
  const crashed = crashedChecks(result.checks).map((c) => ({ level: 'error', descriptor: { id: c.id }, message: { text: `${c.id} could not run: ${whyNotRun(c)}` } }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kubeharden', version: result.tool.version, informationUri: REPOSITORY_URL, rules: ruleIds.map((id) => rule(id, result.tool.version, ctx)) } },
        // A check that crashed is the tool's own failure: the run did not complete as it should.
        invocations: [{ executionSuccessful: crashed.length === 0, toolExecutionNotifications: [...crashed, ...notifications] }],
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(ctx.root + path.sep).href } },
        results: kept.map((f) => sarifResult(f, ruleIndex.get(f.check)!, ctx)),
        properties: { resultsTotal: total, resultsLeftOut: left },
      },
    ],
  };
}

function rule(id: string, version: string, ctx: BuildContext) {
  const check = ctx.checksById.get(id);
  // The check's words come with the Result (its checks[] entry), never from the check catalog.
  const text = check;
  const severity = check?.severity ?? 'medium';
  const controls = check?.controls ?? [];
  const helpUri = check?.docs ?? checkDocsUrl(id, version);
  const markdown = [
    text?.rationale ? `**Why it matters:** ${text.rationale}` : '',
    text?.remediation ? `**How to fix:** ${text.remediation}` : '',
    controls.length ? `**Controls:** ${controls.map((c) => `\`${c}\``).join(', ')}` : '',
    `[Documentation of \`${id}\`](${helpUri})`,
  ].filter(Boolean).join('\n\n');
  return {
    id,
    name: id,
    shortDescription: { text: check?.title ?? id },
    fullDescription: { text: text?.rationale ?? check?.title ?? id },
    helpUri,
    help: { text: text?.remediation ?? check?.title ?? id, markdown },
    defaultConfiguration: { level: LEVEL[severity] },
    // GitHub shows the first 10 tags of a rule; every control is in properties.controls.
    properties: { tags: ['security', 'kubernetes', ...controls].slice(0, SARIF_MAX_DISPLAYED_TAGS), controls, 'security-severity': SECURITY_SEVERITY[severity] },
  };
}

function sarifResult(f: Finding, ruleIndex: number, ctx: BuildContext) {
  return {
    ruleId: f.check,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: `${f.message}. ${f.remediation}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f, ctx),
          region: { startLine: f.location.line ?? 1, startColumn: f.location.column ?? 1 },
        },
        logicalLocations: [{ name: `${f.node !== undefined ? `node ${f.node}: ` : ''}${f.resource.kind}/${f.resource.namespace ? f.resource.namespace + '/' : ''}${f.resource.name}`, fullyQualifiedName: f.location.path, kind: 'object' }],
      },
    ],
    partialFingerprints: { 'kubeharden/v1': f.fingerprint },
    ...(f.exception ? { suppressions: [{ kind: 'external', justification: f.exception.reason }] } : {}),
    properties: { severity: f.severity, controls: f.controls, ...(f.node !== undefined ? { node: f.node } : {}) },
  };
}

/**
 * A file inside the root: its path relative to the root, under %SRCROOT%. A node's file, or a
 * file outside the root: an absolute file: URI. A cluster object's source is already a URI
 * (cluster://context/…); standard input is `stdin`.
 */
export function artifactLocation(f: Pick<Finding, 'node' | 'location'>, ctx: { root: string; cwd: string }): { uri: string; uriBaseId?: string } {
  const file = f.location.file;
  if (file === '<stdin>') return { uri: 'stdin' };
  if (!looksLikePath(file)) return { uri: encodeURI(file) };
  // A node's file is a path on that node, not in the repository.
  if (f.node !== undefined) return path.posix.isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: encodeSegments(file) };
  const abs = path.resolve(ctx.cwd, file);
  const rel = path.relative(ctx.root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: encodeSegments(rel.split(path.sep).join('/')), uriBaseId: SRCROOT };
}

/** Cluster and snapshot findings name an object, not a file ("cluster", "snapshot.json#…"). */
function looksLikePath(file: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(file) && !file.startsWith('<');
}

function encodeSegments(p: string): string {
  return p.split('/').map((s) => encodeURIComponent(s)).join('/');
}
