// A worker thread that reads and parses manifest files for loadManifests, so large inputs
// use every core. Messages: { file, maxBytes } in; { file, parsed } or { file, problem } out.

import { parentPort } from 'node:worker_threads';
import { parseManifestText } from '../inventory/parse-manifest.js';
import { hasContent } from '../inventory/yaml.js';
import { readManifestText } from './read-file.js';

parentPort?.on('message', async (job: { file: string; maxBytes: number }) => {
  try {
    const read = await readManifestText(job.file, job.maxBytes);
    if ('problem' in read) parentPort!.postMessage({ file: job.file, problem: read.problem });
    else parentPort!.postMessage({ file: job.file, parsed: parseManifestText(job.file, read.text, read.byteBase), empty: !hasContent(read.text), mode: read.mode });
  } catch (err) {
    parentPort!.postMessage({ file: job.file, problem: `could not read: ${(err as Error)?.message ?? String(err)}` });
  }
});
