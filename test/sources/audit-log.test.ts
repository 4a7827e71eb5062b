// Reading audit logs: JSON lines, gzip told by its magic bytes, concatenated gzip members, the
// webhook backend's EventList batches (one per line or pretty-printed), CRLF, and bad input that
// is counted and named by file:line without stopping the stream.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_LINE_BYTES, readAuditLogs, readEvidence } from '../../src/sources/audit-log.js';
import { REPO_ROOT } from '../helpers.js';

const REAL = path.join(REPO_ROOT, 'test/fixtures/audit-logs/sa-team-app.log');
const realLines = () => readFileSync(REAL, 'utf8').split('\n').filter(Boolean);
const dir = () => mkdtempSync(path.join(tmpdir(), 'kh-audit-'));

async function requestsIn(file: string | string[]) {
  const { evidence, read } = await readEvidence(Array.isArray(file) ? file : [file]);
  return { requests: evidence.stats.requests, events: evidence.stats.events, malformed: read.malformed, read, evidence };
}

test('the real log: every line an event, stages de-duplicated per auditID', async () => {
  const r = await requestsIn(REAL);
  assert.equal(r.malformed, 0);
  assert.equal(r.events, realLines().length);
  assert.ok(r.requests < r.events, 'RequestReceived and ResponseComplete of one request count once');
  assert.ok(r.evidence.stats.window.from && r.evidence.stats.window.to);
});

test('gzip is detected by its magic bytes, whatever the name; concatenated members are read in turn', async () => {
  const d = dir();
  const lines = realLines();
  const half = Math.floor(lines.length / 2);
  const plain = await requestsIn(REAL);
  const named = path.join(d, 'audit.log'); // gzipped, without .gz
  writeFileSync(named, gzipSync(lines.join('\n') + '\n'));
  const rotated = path.join(d, 'audit.log.1.gz'); // two gzip members, as `cat a.gz b.gz` makes
  writeFileSync(rotated, Buffer.concat([gzipSync(lines.slice(0, half).join('\n') + '\n'), gzipSync(lines.slice(half).join('\n') + '\n')]));
  for (const f of [named, rotated]) {
    const r = await requestsIn(f);
    assert.deepEqual([r.events, r.requests, r.malformed], [plain.events, plain.requests, 0], f);
  }
});

test('webhook EventList batches, one per line or pretty-printed, give the same requests as the lines', async () => {
  const d = dir();
  const events = realLines().map((l) => JSON.parse(l) as unknown);
  const batch = (items: unknown[]) => ({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
  const oneLine = path.join(d, 'batches.jsonl');
  writeFileSync(oneLine, [batch(events.slice(0, 10)), batch(events.slice(10))].map((b) => JSON.stringify(b)).join('\n') + '\n');
  const pretty = path.join(d, 'batches.json');
  writeFileSync(pretty, [batch(events.slice(0, 7)), batch(events.slice(7))].map((b) => JSON.stringify(b, null, 2)).join('\n'));
  const crlf = path.join(d, 'crlf.log');
  writeFileSync(crlf, realLines().join('\r\n') + '\r\n');
  const plain = await requestsIn(REAL);
  for (const f of [oneLine, pretty, crlf]) {
    const r = await requestsIn(f);
    assert.deepEqual([r.events, r.requests, r.malformed], [plain.events, plain.requests, 0], f);
  }
});

test('malformed lines are counted, the first five named by file:line, and the rest of the log is read', async () => {
  const d = dir();
  const lines = realLines();
  const file = path.join(d, 'damaged.log');
  const bad = ['not json', '{"kind":"Event"', '[1,2', '{"apiVersion":"v1","kind":"Pod"}', '"a string"', '{"truncated":', 'x'];
  // Bad lines between good ones; the last good line has no final newline.
  const mixed = [lines[0], bad[0], bad[1], lines[1], bad[2], bad[3], bad[4], bad[5], bad[6], ...lines.slice(2)];
  writeFileSync(file, mixed.join('\n'));
  const r = await requestsIn(file);
  assert.equal(r.events, lines.length);
  assert.equal(r.malformed, bad.length);
  assert.deepEqual(r.read.examples.map((e) => `${path.basename(e.file)}:${e.line}`), ['damaged.log:2', 'damaged.log:3', 'damaged.log:5', 'damaged.log:6', 'damaged.log:7']);
  assert.match(r.read.examples[3]!.message, /apiVersion "v1"/);
});

test('a line longer than the limit is skipped as malformed, without holding it', async () => {
  const d = dir();
  const file = path.join(d, 'long.log');
  const [first, second] = realLines();
  writeFileSync(file, `${first}\n{"pad":"${'x'.repeat(MAX_LINE_BYTES + 10)}"}\n${second}\n`);
  const r = await requestsIn(file);
  assert.equal(r.events, 2);
  assert.equal(r.malformed, 1);
  assert.match(r.read.examples[0]!.message, /longer than/);
  assert.equal(r.read.examples[0]!.line, 2);
});

test('files that cannot be read are named with the reason; the others are read', async () => {
  const d = dir();
  const stats = await readAuditLogs([path.join(d, 'missing.log'), d, REAL], () => undefined);
  assert.equal(stats.files, 1);
  assert.deepEqual(stats.unreadable.map((u) => u.message), ['no such file or folder', 'is a folder, expected a file']);
});

test('a truncated gzip file: what was read counts, the file is named', async () => {
  const d = dir();
  const file = path.join(d, 'cut.gz');
  const gz = gzipSync(readFileSync(REAL));
  writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.8)));
  const r = await requestsIn(file);
  assert.equal(r.read.unreadable.length, 1);
  assert.match(r.read.unreadable[0]!.message, /stopped after line \d+/);
  assert.ok(r.events > 0);
});
