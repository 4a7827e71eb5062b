// A megabyte of hostile text in every report format. Names, messages and annotations come from
// the input, so whoever writes a manifest writes into the report: a 200,000-character name once
// made `--format markdown` run past a minute (a reference-escaping pattern backtracked over the
// whole name at every position). Each format must render it, linearly, as the text it is.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBounded } from '../cli/run-bounded.js';
import { REPORT_FORMATS } from '../../src/cli/output.js';
import { mdCode, mdText } from '../../src/report/markdown-text.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kh-hostile-text-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs of text each built to make a backtracking pattern, or a spread of arguments, blow up. */
const HOSTILE = [
  'a'.repeat(200_000),
  'a.'.repeat(60_000),
  'x@'.repeat(60_000),
  'a+b-c.'.repeat(20_000) + '@',
  '`a'.repeat(60_000),
  '&a'.repeat(60_000),
  'www.'.repeat(30_000),
  'h://'.repeat(30_000),
  '#1'.repeat(60_000),
  '_*[<|'.repeat(24_000),
];

function hostileManifest(): string {
  const containers = HOSTILE.map((text, i) => ({ name: `c${i}-${text}`, image: 'nginx', securityContext: { privileged: true } }));
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: HOSTILE[0], namespace: 'shop', annotations: { note: HOSTILE.join(' ') } }, spec: { containers } };
  return JSON.stringify(pod);
}

test('every text escaper is linear on hostile text', () => {
  // In-process, each of these took minutes (or threw RangeError) before the fix; now each is one pass.
  for (const text of HOSTILE) {
    const prose = mdText(text);
    assert.ok(prose.length >= text.length);
    const code = mdCode(text, { inTable: true });
    assert.ok(code.length >= text.length);
  }
});

for (const format of REPORT_FORMATS) {
  test(`--format ${format} renders a megabyte of hostile names and messages`, async () => {
    const file = path.join(dir, `hostile-${format}.json`);
    writeFileSync(file, hostileManifest());
    const run = await runBounded(['scan', file, '-f', format, '--fail-on', 'none', '-o', path.join(dir, `out.${format}`)], { killAfterMs: 120_000, heapMb: 512 });
    assert.equal(run.killed, false, `--format ${format} finished`);
    assert.equal(run.code, 0, run.stderr.slice(0, 2000));
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });
}
