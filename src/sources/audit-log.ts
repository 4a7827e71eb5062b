// Streams API server audit logs: the log backend's JSON lines (one audit.k8s.io/v1 Event per
// line) and the webhook backend's EventList batches (one per line, or a pretty-printed JSON
// document), plain or gzipped (told apart by the gzip magic bytes 1f 8b, not by the file name;
// concatenated gzip members, as logrotate's compress and `cat a.gz b.gz` make them, are read in
// turn). `-` reads stdin.
//
// Memory is bounded: a line is held only until it is parsed, a line longer than MAX_LINE_BYTES
// is skipped as malformed, and a pretty-printed document is held only up to MAX_DOCUMENT_BYTES.
// A line that is not JSON is counted and the reading goes on; it never stops the stream.

import { promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { describeFsError } from './read-file.js';
import { observationsFrom, type Observation } from '../analysis/rbac/audit-event.js';
import { Evidence } from '../analysis/rbac/evidence.js';

export const MAX_LINE_BYTES = 16 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
/** How many malformed lines are described; the rest are only counted. */
export const MALFORMED_EXAMPLES = 5;

export interface MalformedLine {
  file: string;
  line: number;
  message: string;
}

export interface AuditReadStats {
  files: number;
  lines: number;
  malformed: number;
  /** The first MALFORMED_EXAMPLES malformed lines, with why. */
  examples: MalformedLine[];
  /** Files that could not be read at all (named, with the reason). */
  unreadable: { file: string; message: string }[];
}

/**
 * What the caller does with each JSON value: return an error message when the value is not
 * an audit event (it is then counted as malformed at that line), else undefined.
 */
export type OnValue = (value: unknown, file: string, line: number) => string | undefined;

export async function readAuditLogs(files: string[], onValue: OnValue): Promise<AuditReadStats> {
  const stats: AuditReadStats = { files: 0, lines: 0, malformed: 0, examples: [], unreadable: [] };
  const malformed = (file: string, line: number, message: string) => {
    stats.malformed++;
    if (stats.examples.length < MALFORMED_EXAMPLES) stats.examples.push({ file, line, message });
  };
  for (const file of files) {
    let stream: Readable;
    try {
      stream = await openMaybeGzipped(file);
    } catch (err) {
      stats.unreadable.push({ file, message: describeFsError(err as NodeJS.ErrnoException) });
      continue;
    }
    stats.files++;
    try {
      await readValues(stream, file, stats, onValue, malformed);
    } catch (err) {
      // A truncated gzip stream or a read error mid-file: what was read counts, the file is named.
      stats.unreadable.push({ file, message: `stopped after line ${stats.lines}: ${(err as Error).message}` });
    }
  }
  return stats;
}

async function openMaybeGzipped(file: string): Promise<Readable> {
  if (file === '-') return sniff(process.stdin);
  const handle = await fs.open(file, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    const gz = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    const raw = handle.createReadStream({ start: 0, autoClose: true });
    return gz ? raw.pipe(createGunzip()) : raw;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** stdin cannot be reopened: peek at its first chunk to tell gzip from text. */
async function sniff(input: Readable): Promise<Readable> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  const rest = async () => {
    if (!first.done) out.write(first.value as Buffer);
    for (let n = await iterator.next(); !n.done; n = await iterator.next()) if (!out.write(n.value as Buffer)) await new Promise((r) => out.once('drain', r));
    out.end();
  };
  void rest().catch((err) => out.destroy(err as Error));
  const chunk = first.done ? undefined : (first.value as Buffer);
  return chunk && chunk[0] === 0x1f && chunk[1] === 0x8b ? out.pipe(createGunzip()) : out;
}

async function readValues(stream: Readable, file: string, stats: AuditReadStats, onValue: OnValue, malformed: (f: string, l: number, m: string) => void): Promise<void> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skipping = false;
  let lineNo = 0;
  // A pretty-printed document: its lines, from the line where it started.
  let doc: { start: number; parts: string[]; bytes: number; closer: string; tooLong: boolean } | undefined;

  const handleLine = (text: string) => {
    lineNo++;
    stats.lines++;
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (doc) {
      if (!doc.tooLong) {
        doc.parts.push(line);
        doc.bytes += line.length;
      }
      if (line === doc.closer) {
        const { start, parts, tooLong } = doc;
        doc = undefined;
        if (!tooLong) deliver(parts.join('\n'), start);
      } else if (!doc.tooLong && doc.bytes > MAX_DOCUMENT_BYTES) {
        malformed(file, doc.start, `a JSON document longer than ${MAX_DOCUMENT_BYTES} bytes; skipped`);
        doc.parts = [];
        doc.tooLong = true;
      }
      return;
    }
    const trimmed = line.trim();
    if (!trimmed) return;
    // `{` or `[` alone on a line starts a pretty-printed document that ends with `}` / `]` at column 0.
    if (trimmed === '{' || trimmed === '[') {
      doc = { start: lineNo, parts: [line], bytes: line.length, closer: trimmed === '{' ? '}' : ']', tooLong: false };
      return;
    }
    deliver(line, lineNo);
  };

  const deliver = (text: string, at: number) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      malformed(file, at, `not JSON: ${(err as Error).message}`);
      return;
    }
    // A pretty-printed array of events (a saved `.items`).
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const problem = onValue(v, file, at);
      if (problem) {
        malformed(file, at, problem);
        return;
      }
    }
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (skipping) {
        skipping = false;
        lineNo++;
        stats.lines++;
        continue;
      }
      if (carryBytes + piece.length > MAX_LINE_BYTES) {
        carry = [];
        carryBytes = 0;
        lineNo++;
        stats.lines++;
        malformed(file, lineNo, `a line longer than ${MAX_LINE_BYTES} bytes; skipped`);
        continue;
      }
      const whole = carryBytes ? Buffer.concat([...carry, piece]) : piece;
      carry = [];
      carryBytes = 0;
      handleLine(whole.toString('utf8'));
    }
    if (start < chunk.length && !skipping) {
      const rest = chunk.subarray(start);
      if (carryBytes + rest.length > MAX_LINE_BYTES) {
        // Too long: drop what we hold and skip to the end of this line.
        carry = [];
        carryBytes = 0;
        skipping = true;
        malformed(file, lineNo + 1, `a line longer than ${MAX_LINE_BYTES} bytes; skipped`);
      } else {
        carry.push(Buffer.from(rest));
        carryBytes += rest.length;
      }
    }
  }
  if (skipping) {
    lineNo++;
    stats.lines++;
  } else if (carryBytes) handleLine(Buffer.concat(carry).toString('utf8'));
  if (doc && !doc.tooLong) malformed(file, doc.start, 'a JSON document that does not end before the end of the file');
}

export interface EvidenceRead {
  evidence: Evidence;
  read: AuditReadStats;
}

/** Reads audit logs into aggregated evidence of who made which requests (nothing else is kept). */
export async function readEvidence(files: string[]): Promise<EvidenceRead> {
  const evidence = new Evidence();
  const read = await readAuditLogs(files, (value) => {
    const parsed = observationsFrom(value);
    // An EventList holds many events; each is one request's stage.
    for (const group of groupByEvent(parsed.observations)) evidence.addEvent(group);
    return parsed.error;
  });
  evidence.finish();
  return { evidence, read };
}

/** The observations of one event stay together (an impersonated request adds `impersonate` ones). */
function groupByEvent(observations: Observation[]): Observation[][] {
  const out: Observation[][] = [];
  for (const o of observations) {
    if (o.impersonation && out.length) out[out.length - 1]!.push(o);
    else out.push([o]);
  }
  return out;
}
