// A worker thread that reads and parses manifest files for loadManifests, so large inputs
// use every core. Messages: { id, file, maxBytes } in; { id, file, parsed } or { id, file, problem } out
// (a worker may be given its next file before it answers the last: answers can come in any order).

import { parentPort } from 'node:worker_threads';
import { parseManifestText } from '../inventory/parse-manifest.js';
import { hasContent } from '../inventory/yaml.js';
import { readManifestText } from './read-file.js';

parentPort?.on('message', async (job: { id: number; file: string; maxBytes: number }) => {
  try {
    const read = await readManifestText(job.file, job.maxBytes);
    if ('problem' in read) parentPort!.postMessage({ id: job.id, file: job.file, problem: read.problem });
    else parentPort!.postMessage({ id: job.id, file: job.file, parsed: parseManifestText(job.file, read.text, read.byteBase), empty: !hasContent(read.text), mode: read.mode });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, file: job.file, problem: `could not read: ${(err as Error)?.message ?? String(err)}` });
  }
});
