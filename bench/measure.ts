// One measurement in a fresh process, so that its peak memory and CPU time are its own (the
// whole process: start-up, every thread, the report written):
//   node dist/bench/measure.js parse DIR            the floor: a bare js-yaml parse
//   node dist/bench/measure.js scan DIR [FORMAT]    `kubeharden scan DIR --format FORMAT -o FILE`
// prints one JSON line: { mode, ms, cpuMs, objects?, findings?, maxRssMiB }.
//
// The floor is js-yaml 4 loaded as CommonJS (its `require` entry, lib/*.js): the fastest
// honest bare parse we know of on npm, faster in our runs than the same package's ES-module
// bundle. It reads every file and parses it with loadAll, keeping nothing.

import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

async function listYaml(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listYaml(full)));
    else if (/\.(ya?ml|json)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

async function bareParse(dir: string): Promise<number> {
  const jsYaml = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');
  let objects = 0;
  for (const file of await listYaml(dir)) {
    const text = await fs.readFile(file, 'utf8');
    jsYaml.loadAll(text, (doc) => {
      if (doc && typeof doc === 'object' && 'kind' in doc) objects++;
    });
  }
  return objects;
}

/**
 * The CLI, in this process, writing its report to a file; the report is read back only after the
 * measurement. Loaded as the bin scripts load it (bin/entry.js: the bundle in dist/cli when it
 * is current), so start-up is what a user's `kubeharden scan` pays.
 */
async function scan(dir: string, format: string): Promise<{ report: string; cleanup: () => Promise<void> }> {
  const entry = new URL('../../bin/entry.js', import.meta.url).href;
  const { cliModule } = (await import(entry)) as { cliModule: () => string };
  const { main } = (await import(cliModule())) as typeof import('../src/cli/main.js');
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kubeharden-measure-'));
  const report = path.join(tmp, `report.${format}`);
  const code = await main(['node', 'kubeharden', 'scan', dir, '--format', format, '--output', report, '--fail-on', 'none', '--quiet', '--max-file-size', '1GiB']);
  if (code !== 0) throw new Error(`scan exited ${code}`);
  return { report, cleanup: () => fs.rm(tmp, { recursive: true, force: true }) };
}

/** Findings and objects of a report, counted after the measurement so they do not count in it. */
async function countReport(file: string, format: string): Promise<{ objects?: number; findings?: number }> {
  const text = await fs.readFile(file, 'utf8');
  if (format === 'json') {
    const result = JSON.parse(text) as { summary: { objects: number }; findings: unknown[] };
    return { objects: result.summary.objects, findings: result.findings.length };
  }
  if (format === 'ndjson') {
    const lines = text.trimEnd().split('\n');
    const tail = JSON.parse(lines[lines.length - 1] as string) as { summary: { objects: number } };
    return { objects: tail.summary.objects, findings: lines.length - 1 };
  }
  return {};
}

async function main(): Promise<void> {
  const [mode, dir, format = 'json'] = process.argv.slice(2);
  if (!dir || (mode !== 'parse' && mode !== 'scan')) {
    console.error('usage: node dist/bench/measure.js parse|scan DIR [FORMAT]');
    process.exit(2);
  }
  let counts: { objects?: number; findings?: number };
  let done: () => Promise<void> = async () => undefined;
  if (mode === 'parse') {
    counts = { objects: await bareParse(dir) };
  } else {
    const { report, cleanup } = await scan(dir, format);
    done = async () => {
      counts = await countReport(report, format);
      await cleanup();
    };
    counts = {};
  }
  // Whole process so far: start-up, module loading, worker threads, the report written.
  const usage = process.resourceUsage();
  // Milliseconds since this process started (performance's time origin).
  const ms = performance.now();
  await done();
  console.log(
    JSON.stringify({
      mode,
      format: mode === 'scan' ? format : undefined,
      ms: Math.round(ms),
      cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
      ...counts,
      maxRssMiB: Math.round(usage.maxRSS / 1024),
    }),
  );
}

void main();
