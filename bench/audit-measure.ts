// One measurement of bench/audit.ts in a fresh process, so peak RSS is the whole process's own:
//   node dist/bench/audit-measure.js parse|generate FILE
// parse: the floor — read the file's lines (node:readline) and JSON.parse each, keeping nothing.
// generate: the real CLI, `kubeharden generate rbac --from-audit-log FILE -f json -o OUT`, run
// in this process. Prints one JSON line: { mode, ms, maxRssMiB, … }.

import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { main } from '../src/cli/main.js';

async function bareParse(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line) {
      JSON.parse(line);
      n++;
    }
  }
  return n;
}

async function run(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if (!file || (mode !== 'parse' && mode !== 'generate')) {
    console.error('usage: node dist/bench/audit-measure.js parse|generate FILE');
    process.exit(2);
  }
  const start = process.hrtime.bigint();
  const extra: Record<string, unknown> = {};
  if (mode === 'parse') {
    extra.lines = await bareParse(file);
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'kh-bench-out-'));
    const out = path.join(dir, 'out.json');
    const code = await main(['node', 'kubeharden', 'generate', 'rbac', '--from-audit-log', file, '-f', 'json', '-o', out]);
    if (code !== 0) throw new Error(`generate rbac exited ${code}`);
    const answer = JSON.parse(readFileSync(out, 'utf8')) as { evidence: { requests: number }; policies: { dryRun: { ok: boolean } }[] };
    extra.policies = answer.policies.length;
    extra.requests = answer.evidence.requests;
    extra.dryRunsPassed = answer.policies.every((p) => p.dryRun.ok);
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ mode, ms: Math.round(ms), maxRssMiB, ...extra })}\n`);
}

void run();
