// The CI formats on the real corpus (test/fixtures/corpus, 11,000+ findings) against the limits
// of the places they go:
// - SARIF: valid against the OASIS SARIF 2.1.0 JSON schema (test/fixtures/sarif), and within
//   GitHub code scanning's documented limits (docs.github.com, "SARIF support for code
//   scanning" / "Troubleshooting SARIF uploads"): 5,000 results per run kept (25,000 accepted),
//   10 MB per upload (gzip-compressed; we hold the uncompressed file to it), 20 tags per rule
//   (10 shown). Left-out results are the least severe, and the run's notification says how many.
//   URIs are relative to the repository root, also when the scan was given absolute paths.
// - Markdown: within GitHub's 65,536-character comment limit, summary first, and the count of
//   findings it leaves out is exact.
// - JUnit: one case per check or per object, failures exactly the findings at or above
//   --fail-on, bodies bounded.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { scanManifests } from '../../src/engine/scan.js';
import { renderSarif, SARIF_MAX_BYTES, SARIF_MAX_RESULTS } from '../../src/report/sarif.js';
import { renderMarkdown, MARKDOWN_MAX_CHARS } from '../../src/report/markdown.js';
import { renderJunit } from '../../src/report/junit.js';
import { findCheck } from '../../src/checks/index.js';
import { SEVERITIES } from '../../src/result/result.js';
import { blockingFindings } from '../../src/result/fail-on.js';
import type { Result } from '../../src/result/result.js';
import { REPO_ROOT } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';
import { validateSarif } from './sarif-schema.js';

const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real');
let corpus: Result;

before(async () => {
  // Absolute paths, as a CI job often passes $GITHUB_WORKSPACE/k8s.
  corpus = await scanManifests([CORPUS]);
});

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; helpUri: string; help: { text: string; markdown: string }; properties: { tags: string[] } }[] } };
    invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
    originalUriBaseIds: Record<string, { uri: string }>;
    results: { ruleId: string; ruleIndex: number; properties: { severity: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[];
  }[];
}

function checkSarif(text: string, maxBytes: number): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  assert.ok(validateSarif(log), `SARIF schema: ${JSON.stringify(validateSarif.errors?.slice(0, 3))}`);
  assert.ok(Buffer.byteLength(text) <= maxBytes, `${Buffer.byteLength(text)} bytes > ${maxBytes}`);
  assert.ok(gzipSync(text).length <= SARIF_MAX_BYTES, 'gzip-compressed within 10 MB');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.ok(run.results.length <= SARIF_MAX_RESULTS);
  for (const rule of run.tool.driver.rules) {
    assert.ok(rule.properties.tags.length <= 10, `${rule.id}: at most 10 tags (GitHub shows 10, accepts 20)`);
    assert.match(rule.helpUri, new RegExp(`/docs/checks/${rule.id}\\.md$`));
    assert.ok(existsSync(path.join(REPO_ROOT, 'docs', 'checks', `${rule.id}.md`)), `${rule.id}: helpUri names a docs page that exists`);
    assert.ok(rule.help.markdown.includes(findCheck(rule.id)!.remediation), `${rule.id}: help.markdown says how to fix`);
  }
  run.results.forEach((r) => assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId));
  return log;
}

test('SARIF on the corpus: schema-valid, the 5,000 most severe results, relative URIs, a notification for the rest', () => {
  const elsewhere = mkdtempSync(path.join(tmpdir(), 'kubeharden-sarif-'));
  try {
    const text = renderSarif(corpus, { root: REPO_ROOT, cwd: elsewhere });
    const log = checkSarif(text, SARIF_MAX_BYTES);
    const run = log.runs[0]!;
    const total = corpus.findings.length;
    assert.ok(total > SARIF_MAX_RESULTS, `the corpus has more findings (${total}) than a run keeps`);
    assert.equal(run.results.length, SARIF_MAX_RESULTS);
    // Every left-out result is at most as severe as every kept one.
    const rank = (s: string) => SEVERITIES.indexOf(s as never);
    const worstKept = Math.max(...run.results.map((r) => rank(r.properties.severity)));
    const keptCount = new Map<string, number>();
    for (const r of run.results) keptCount.set(r.properties.severity, (keptCount.get(r.properties.severity) ?? 0) + 1);
    for (const s of SEVERITIES) {
      const all = corpus.findings.filter((f) => f.severity === s).length;
      if (rank(s) < worstKept) assert.equal(keptCount.get(s) ?? 0, all, `every ${s} finding is kept`);
      if (rank(s) > worstKept) assert.equal(keptCount.get(s) ?? 0, 0, `no ${s} finding is kept while more severe ones were left out`);
    }
    const [notification] = run.invocations[0]!.toolExecutionNotifications;
    assert.match(notification!.message.text, new RegExp(`^${total - SARIF_MAX_RESULTS} of ${total} results were left out`));
    assert.match(notification!.message.text, /--format json/);
    // Relative to the root, though the scan was given absolute paths from another folder.
    assert.equal(run.originalUriBaseIds['%SRCROOT%']!.uri, new URL(`file://${REPO_ROOT}/`).href);
    for (const r of run.results) {
      const loc = r.locations[0]!.physicalLocation.artifactLocation;
      assert.equal(loc.uriBaseId, '%SRCROOT%');
      assert.match(loc.uri, /^test\/fixtures\/corpus\/real\/[^/]+\.yaml$/);
      assert.ok(existsSync(path.join(REPO_ROOT, decodeURIComponent(loc.uri))));
    }
    console.log(`SARIF corpus: ${total} findings, ${run.results.length} results kept, ${Buffer.byteLength(text)} bytes, ${gzipSync(text).length} gzip-compressed`);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('SARIF size limit: trimmed to the byte limit, most severe kept, still schema-valid', () => {
  const maxBytes = 1_000_000;
  const text = renderSarif(corpus, { root: REPO_ROOT, maxBytes });
  const run = checkSarif(text, maxBytes).runs[0]!;
  assert.ok(run.results.length > 0 && run.results.length < SARIF_MAX_RESULTS);
  const left = corpus.findings.length - run.results.length;
  assert.match(run.invocations[0]!.toolExecutionNotifications[0]!.message.text, new RegExp(`^${left} of ${corpus.findings.length} results were left out`));
});

test('SARIF within the limits: every finding, no notification; a file outside the root gets a file: URI', () => {
  const small: Result = { ...corpus, findings: corpus.findings.slice(0, 20) };
  const text = renderSarif(small, { root: path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real') });
  const run = checkSarif(text, SARIF_MAX_BYTES).runs[0]!;
  assert.equal(run.results.length, 20);
  assert.deepEqual(run.invocations[0]!.toolExecutionNotifications, []);
  assert.ok(run.results.every((r) => !r.locations[0]!.physicalLocation.artifactLocation.uri.includes('/')));
  const outside = renderSarif(small, { root: path.join(REPO_ROOT, 'src') });
  const loc = (JSON.parse(outside) as SarifLog).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
  assert.equal(loc.uriBaseId, undefined);
  assert.ok(loc.uri.startsWith('file:///'));
  assert.ok(existsSync(fileURLToPath(loc.uri)));
});

test('CLI: --sarif-root, and $GITHUB_WORKSPACE as the default root, for a scan by absolute path', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-repo-'));
  try {
    const file = path.join(dir, 'k8s', 'app.yaml');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file)));
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers:\n  - {name: c, image: nginx:1.27, securityContext: {privileged: true}}\n');
    for (const [args, env] of [[['--sarif-root', dir], {}], [[], { GITHUB_WORKSPACE: dir }]] as const) {
      const run = await runCli(['scan', file, '--format', 'sarif', '--fail-on', 'none', ...args], { cwd: tmpdir(), env: { ...env } });
      assert.equal(run.code, 0, run.stderr);
      const log = checkSarif(run.stdout, SARIF_MAX_BYTES);
      const uris = new Set(log.runs[0]!.results.map((r) => JSON.stringify(r.locations[0]!.physicalLocation.artifactLocation)));
      assert.deepEqual([...uris], [JSON.stringify({ uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' })]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Rows of the findings tables: lines of a table that are neither its head nor its rule. */
function findingRows(md: string): number {
  const findings = md.split('\n### ').find((s) => s.startsWith('Findings')) ?? '';
  return findings.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Resource |') && !l.startsWith('| ---')).length;
}

test('Markdown on the corpus: within 65,536 characters, summary first, an exact count of what is left out', async () => {
  const md = renderMarkdown(corpus);
  assert.ok(md.length <= MARKDOWN_MAX_CHARS, `${md.length} characters`);
  assert.ok([...md].length <= MARKDOWN_MAX_CHARS);
  assert.match(md, /^## kubeharden: manifests in /);
  const counted = corpus.findings.filter((f) => !f.exception).length;
  const summaryCounts = `| ${SEVERITIES.map((s) => corpus.summary.findings[s]).join(' | ')} | ${corpus.summary.excepted} |`;
  assert.ok(md.indexOf(summaryCounts) > 0 && md.indexOf(summaryCounts) < md.indexOf('### Findings'), 'the severity counts come before the findings');
  const perCheckMore = [...md.matchAll(/\n… and (\d+) more \(see the JSON report\)/g)].reduce((n, m) => n + Number(m[1]), 0);
  const leftOut = /\n\*\*… and (\d+) more findings?(?: and more sections)?, see the artifact:\*\*/.exec(md);
  assert.ok(leftOut, 'the closing line says how many findings are not shown');
  assert.equal(findingRows(md) + perCheckMore + Number(leftOut[1]), counted, 'shown + counted per check + left out = all findings');
  assert.ok(md.length > MARKDOWN_MAX_CHARS - 2000, 'the budget is used, not wasted');
  // The same through the CLI.
  const cli = await runCli(['scan', CORPUS, '--format', 'markdown', '--fail-on', 'none']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.ok(cli.stdout.length <= MARKDOWN_MAX_CHARS);
  assert.ok(cli.stdout.includes(leftOut[0]));
  console.log(`Markdown corpus: ${md.length} characters, ${findingRows(md)} finding rows shown of ${counted}`);
});

test('Markdown: a small budget still gives the summary and the closing line, never a table head without rows', () => {
  const md = renderMarkdown(corpus, { maxChars: 4000 });
  assert.ok(md.length <= 4000, `${md.length}`);
  assert.match(md, /see the artifact/);
  assert.doesNotMatch(md, /\| --- \| --- \| --- \| --- \|\n\n/);
});

test('JUnit on the corpus: per check and per object, failures are exactly the findings at or above --fail-on, bounded bodies', () => {
  for (const failOn of ['high', 'low'] as const) {
    const result: Result = { ...corpus, settings: { ...corpus.settings, failOn } };
    const blocking = blockingFindings(result.findings, failOn);
    const byCheck = renderJunit(result, { cases: 'check', seconds: 1.5 });
    const ran = result.checks.filter((c) => c.status !== 'skip');
    assert.equal((byCheck.match(/<testcase /g) ?? []).length, ran.length, 'a case per check that ran');
    assert.doesNotMatch(byCheck, /<skipped/);
    const failingChecks = new Set(blocking.map((f) => f.check));
    assert.equal((byCheck.match(/<failure /g) ?? []).length, failingChecks.size);
    assert.match(byCheck, /<testsuite name="kubeharden manifests" tests="\d+" failures="\d+" errors="0" skipped="0" time="1\.500"/);
    assert.ok(/file="test\/fixtures|file="\/[^"]+corpus\/real\//.test(byCheck), 'cases have a file attribute');
    const byObject = renderJunit(result, { cases: 'object' });
    const objects = new Set(result.findings.map((f) => `${f.resource.apiVersion}/${f.resource.kind}/${f.resource.namespace}/${f.resource.name}`));
    assert.equal((byObject.match(/<testcase /g) ?? []).length, objects.size);
    const failingObjects = new Set(blocking.map((f) => `${f.resource.apiVersion}/${f.resource.kind}/${f.resource.namespace}/${f.resource.name}`));
    assert.equal((byObject.match(/<failure /g) ?? []).length, failingObjects.size);
    // Bounded: no case body over 100 lines plus its "… and N more".
    for (const body of byCheck.match(/<(failure|system-out)[^>]*>[^<]*</g) ?? []) assert.ok(body.split('\n').length <= 101);
    assert.ok(byCheck.length < 2_000_000, `${byCheck.length} characters`);
  }
});
