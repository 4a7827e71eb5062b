// The JSON and NDJSON reports are written in pieces (a hundred findings, one finding), so a large result is
// never held as one string the size of the report. They must be the same Result as the one
// string the JSON report was before, finding for finding: compared here on the real-world
// corpus (test/fixtures/corpus/real), in-process and through the CLI (stdout and --output).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanManifests } from '../../src/engine/scan.js';
import type { Result } from '../../src/result/result.js';
import { jsonPieces, renderJson } from '../../src/report/json.js';
import { ndjsonPieces, renderNdjson, resultFromNdjson } from '../../src/report/ndjson.js';
import { runCli } from '../cli/run-cli.js';
import { REPO_ROOT } from '../helpers.js';

const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real');

let corpus: Promise<Result> | undefined;
// --fail-on none, as the CLI runs below (the Result records it in its settings).
const scanCorpus = () => (corpus ??= scanManifests([CORPUS], { failOn: 'none' }));

/** Equal texts, or a failure that shows where they part (not two 12 MB strings). */
function sameText(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  assert.fail(`${what}: the texts differ from character ${i} (lengths ${actual.length} and ${expected.length}):\n${JSON.stringify(actual.slice(Math.max(0, i - 200), i + 200))}\n${JSON.stringify(expected.slice(Math.max(0, i - 200), i + 200))}`);
}

test('the JSON report written in pieces is byte for byte the one-string report, on the real corpus', async () => {
  const result = await scanCorpus();
  assert.ok(result.findings.length > 10_000, `the corpus has many findings (${result.findings.length})`);
  const pieces = [...jsonPieces(result)];
  assert.ok(pieces.length > result.findings.length / 100, `findings a hundred per piece (${pieces.length} pieces)`);
  assert.ok(Math.max(...pieces.map((p) => p.length)) < 1024 * 1024, 'no piece is near the size of the report');
  sameText(pieces.join(''), renderJson(result), 'pieces');
});

test('the NDJSON report holds the same Result, finding for finding and in order', async () => {
  const result = await scanCorpus();
  const text = renderNdjson(result);
  sameText([...ndjsonPieces(result)].join(''), text, 'ndjson pieces');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, result.findings.length + 1, 'a line per finding, then the rest of the Result');
  for (const line of lines.slice(0, 3)) assert.ok('fingerprint' in JSON.parse(line));
  assert.equal(JSON.parse(lines[lines.length - 1]!).schemaVersion, 1);
  assert.deepEqual(resultFromNdjson(text), JSON.parse(renderJson(result)));
  // The member order of the Result is kept too, so the reassembled Result prints the same JSON.
  sameText(renderJson(resultFromNdjson(text)), renderJson(result), 'the Result from NDJSON');
});

test('JSON and NDJSON reports of the same result, in edge shapes: no findings, no errors, skipped paths', () => {
  const empty: Result = {
    schemaVersion: 1,
    tool: { name: 'kubeharden', version: '0' },
    target: { type: 'manifests', inputs: [] },
    settings: { pssLevel: 'restricted', pssVersion: 'latest', failOn: 'high', frameworks: [] },
    summary: { objects: 0, findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, excepted: 0, frameworks: {} },
    checks: [],
    findings: [],
    errors: [],
  };
  for (const result of [empty, { ...empty, skipped: [{ source: 'a.yaml', reason: 'empty file' }] }, { ...empty, summary: { ...empty.summary, inBaseline: undefined } }]) {
    assert.equal([...jsonPieces(result)].join(''), renderJson(result));
    assert.equal(renderJson(resultFromNdjson(renderNdjson(result))), renderJson(result));
  }
});

test('the CLI writes the same Result as JSON to a file and as NDJSON to a pipe', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeharden-streamed-'));
  try {
    const file = path.join(dir, 'report.json');
    const asJson = await runCli(['scan', CORPUS, '--format', 'json', '--fail-on', 'none', '-q', '-o', file]);
    assert.equal(asJson.code, 0, asJson.stderr);
    const asNdjson = await runCli(['scan', CORPUS, '--format', 'ndjson', '--fail-on', 'none', '-q']);
    assert.equal(asNdjson.code, 0, asNdjson.stderr);
    const written = readFileSync(file, 'utf8');
    sameText(written, renderJson(await scanCorpus()), 'the file against the in-process Result');
    sameText(renderJson(resultFromNdjson(asNdjson.stdout)), written, 'NDJSON on stdout against the JSON file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
