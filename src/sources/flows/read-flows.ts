// Reads flow logs line by line (gzipped or not), in a stream: memory holds one line at a time,
// never a whole file. Each line is recognised on its own (Hubble or Calico), so one run can mix
// the two; a line that is not JSON or not a flow of either format is reported with file:line
// and skipped.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { isCalico, readCalico } from './calico.js';
import { isHubble, readHubble } from './hubble.js';
import type { FlowReadStats, FlowRecord } from './model.js';
import { STDIN_NAME } from '../../inventory/model.js';

export interface FlowProblem {
  /** `file:line`, or the file alone when it could not be read. */
  at: string;
  message: string;
  /** True when the whole file could not be read. */
  fatal: boolean;
}

/** Lines longer than this are reported and skipped rather than buffered (a flow is a few KiB). */
export const MAX_LINE = 1 << 20;

export async function readFlows(files: string[], onFlow: (f: FlowRecord) => void, onProblem: (p: FlowProblem) => void): Promise<FlowReadStats> {
  const stats: FlowReadStats = { files: 0, lines: 0, flows: 0, skipped: {}, malformed: 0 };
  for (const file of files) {
    let input: Readable;
    try {
      // `-`: standard input, as `hubble observe -o jsonpb | kubeharden generate netpol --from-flows -` gives it (not gzipped).
      input = file === '-' ? process.stdin : await openMaybeGzip(file);
    } catch (e) {
      onProblem({ at: file, message: `cannot read: ${(e as Error).message}`, fatal: true });
      continue;
    }
    stats.files++;
    let n = 0;
    try {
      const lines = createInterface({ input, crlfDelay: Infinity });
      for await (const text of lines) {
        n++;
        if (text.trim() === '') continue;
        stats.lines++;
        const at = `${file === '-' ? STDIN_NAME : file}:${n}`;
        const bad = (message: string) => {
          stats.malformed++;
          onProblem({ at, message, fatal: false });
        };
        if (text.length > MAX_LINE) {
          bad(`line longer than ${MAX_LINE} characters`);
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          bad(`not JSON: ${(e as Error).message}`);
          continue;
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          bad('not a JSON object');
          continue;
        }
        const line = value as Record<string, unknown>;
        const result = isHubble(line) ? readHubble(line, at) : isCalico(line) ? readCalico(line, at) : { error: 'neither a Hubble flow nor a Calico flow log entry' };
        if ('error' in result) bad(result.error);
        else if ('skip' in result) stats.skipped[result.skip] = (stats.skipped[result.skip] ?? 0) + 1;
        else {
          stats.flows++;
          onFlow(result);
        }
      }
    } catch (e) {
      onProblem({ at: `${file}:${n + 1}`, message: `read failed: ${(e as Error).message}`, fatal: true });
    }
  }
  return stats;
}

/** A gzip file is recognised by its magic bytes, not its name. */
async function openMaybeGzip(file: string): Promise<Readable> {
  const handle = await open(file, 'r');
  let gz = false;
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    gz = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
  const stream = createReadStream(file);
  return gz ? stream.pipe(createGunzip()) : stream;
}
