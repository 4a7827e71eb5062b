// Every report renders from the Result alone: a Result JSON read back from disk renders exactly
// as the Result the engine built, and as the CLI prints it. The check's words that SARIF shows
// (rationale, remediation) come from the Result's `checks[]`, not from the check catalog, and a
// Result written before those fields existed (schemaVersion 1 as saved by older versions) still
// renders.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanManifests } from '../../src/engine/scan.js';
import { findCheck } from '../../src/checks/index.js';
import type { Result } from '../../src/result/result.js';
import { renderJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderPolicyReports } from '../../src/report/policyreport.js';
import { runCli } from '../cli/run-cli.js';

const DEMO = 'examples/demo-cluster';
const NOW = new Date('2026-01-02T03:04:05Z');

const RENDERERS: Record<string, (r: Result) => string> = {
  json: renderJson,
  table: (r) => renderTable(r, { color: false }),
  sarif: renderSarif,
  junit: renderJunit,
  html: renderHtml,
  markdown: (r) => renderMarkdown(r),
  policyreport: (r) => renderPolicyReports(r, { now: NOW }),
};

async function demoResult(): Promise<{ live: Result; fromDisk: Result }> {
  const live = await scanManifests([DEMO], { failOn: 'none' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeharden-result-'));
  try {
    const file = path.join(dir, 'result.json');
    writeFileSync(file, renderJson(live));
    return { live, fromDisk: JSON.parse(readFileSync(file, 'utf8')) as Result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('each format renders a Result read from disk exactly as the Result the engine built', async () => {
  const { live, fromDisk } = await demoResult();
  assert.ok(live.findings.length > 50, 'the demo has findings to render');
  for (const [format, render] of Object.entries(RENDERERS)) assert.equal(render(fromDisk), render(live), format);
});

test('the CLI prints what the reports render from the Result file', async () => {
  const { fromDisk } = await demoResult();
  for (const format of ['table', 'sarif', 'junit', 'html', 'markdown']) {
    const run = await runCli(['scan', DEMO, '--format', format, '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    // JUnit's suite carries the run's own time and timestamp, which only the CLI knows.
    const untimed = (text: string) => (format === 'junit' ? text.replace(/ (time|timestamp)="[^"]*"/g, '') : text);
    assert.equal(untimed(run.stdout), untimed(RENDERERS[format]!(fromDisk)), format);
  }
});

test("the Result carries each check's rationale, remediation and docs page, and SARIF shows them", async () => {
  const { fromDisk } = await demoResult();
  for (const c of fromDisk.checks) {
    const meta = findCheck(c.id)!;
    assert.equal(c.rationale, meta.rationale, c.id);
    assert.equal(c.remediation, meta.remediation, c.id);
    assert.equal(c.docs, `https://github.com/kubeharden/kubeharden/blob/v${fromDisk.tool.version}/docs/checks/${c.id}.md`);
  }
  const rules = JSON.parse(renderSarif(fromDisk)).runs[0].tool.driver.rules as { id: string; fullDescription: { text: string }; help: { text: string } }[];
  assert.ok(rules.length > 10);
  for (const rule of rules) {
    // What SARIF showed when it looked the check up in the catalog.
    assert.equal(rule.fullDescription.text, findCheck(rule.id)!.rationale, rule.id);
    assert.equal(rule.help.text, findCheck(rule.id)!.remediation, rule.id);
  }
});

test("the table, HTML and Markdown take a check's \"How to fix\" from the Result's checks[], not from a finding", async () => {
  const { fromDisk } = await demoResult();
  // A finding's remediation may be specific to that finding; the check's advice is the check's
  // own. In the demo two checks' first findings carry a specific remediation (runAsNonRoot and
  // seccomp, pointing at the container); the reports now show the check's general text instead.
  const specific = fromDisk.checks.filter((c) => {
    const first = fromDisk.findings.find((f) => f.check === c.id);
    return first && first.remediation !== c.remediation;
  });
  assert.deepEqual(specific.map((c) => c.id).sort(), ['container-runs-as-non-root', 'pod-seccomp-profile-set']);
  for (const format of ['table', 'html', 'markdown']) {
    const text = RENDERERS[format]!(fromDisk);
    for (const c of specific) {
      const esc = format === 'html' ? c.remediation!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : c.remediation!;
      assert.ok(text.includes(esc), `${format}: ${c.id}'s remediation`);
      assert.ok(!text.includes(fromDisk.findings.find((f) => f.check === c.id)!.remediation), `${format}: not ${c.id}'s first finding's`);
    }
  }
});

test('a Result saved before checks carried their words still renders (schemaVersion 1 consumers and producers)', async () => {
  const { fromDisk } = await demoResult();
  const old: Result = { ...fromDisk, checks: fromDisk.checks.map(({ rationale: _r, remediation: _m, docs: _d, ...rest }) => rest) };
  for (const format of ['junit', 'policyreport']) assert.equal(RENDERERS[format]!(old), RENDERERS[format]!(fromDisk), format);
  // Without the check's remediation, "How to fix" falls back to the first finding's: the same
  // report apart from the two checks whose first finding has a remediation of its own.
  const withFindingWords: Result = { ...fromDisk, checks: fromDisk.checks.map((c) => {
    const first = fromDisk.findings.find((f) => f.check === c.id && f.remediation);
    return first ? { ...c, remediation: first.remediation } : c;
  }) };
  for (const format of ['table', 'html', 'markdown']) {
    assert.equal(RENDERERS[format]!(old), RENDERERS[format]!(withFindingWords), format);
    assert.notEqual(RENDERERS[format]!(old), RENDERERS[format]!(fromDisk), `${format}: the two specific remediations differ`);
  }
  const rule = JSON.parse(renderSarif(old)).runs[0].tool.driver.rules[0];
  assert.equal(rule.fullDescription.text, old.checks.find((c) => c.id === rule.id)!.title);
  // Without the check's words, the rule's help falls back to its title.
  assert.equal(rule.help.text, old.checks.find((c) => c.id === rule.id)!.title);
});
