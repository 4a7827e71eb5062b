// The benchmark: scans the real-world corpus and the corpus scaled up, and prints objects
// per second, peak memory, and the ratio of the scan's time to a bare js-yaml parse of the
// same files measured in the same run. Benchmarks are not tests: nothing here asserts.
//
//   npm run bench                       # real corpus, 10x and 33x
//   npm run bench -- --copies 1,10      # choose the scales
//   KUBEHARDEN_CORPUS=/path/to/manifests npm run bench
//
// The real corpus is the test fixture test/fixtures/corpus/real (sources and licenses beside
// it); bench/scale.mjs replicates it N times into a temporary folder (reused between runs).
// KUBEHARDEN_CORPUS may point at another folder of manifests to use as the real corpus.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const REAL = process.env.KUBEHARDEN_CORPUS ?? path.join(ROOT, 'test', 'fixtures', 'corpus', 'real');
const SCALE = path.join(ROOT, 'bench', 'scale.mjs');

interface Measurement {
  ms: number;
  objects: number;
  findings?: number;
  errors?: number;
  maxRssMiB: number;
}

function measure(mode: 'parse' | 'scan', dir: string): Measurement {
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', path.join(ROOT, 'dist', 'bench', 'measure.js'), mode, dir], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${mode} ${dir} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Measurement;
}

function dataset(copies: number): string {
  if (copies === 1) return REAL;
  const out = path.join(os.tmpdir(), 'kubeharden-bench', `x${copies}`);
  if (!existsSync(path.join(out, `c${copies}`))) {
    mkdirSync(out, { recursive: true });
    process.stderr.write(`generating ${copies} copies of the corpus in ${out} …\n`);
    execFileSync(process.execPath, [SCALE, '--in', REAL, '--copies', String(copies), '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return out;
}

function main(): void {
  if (!existsSync(REAL)) {
    console.error(`corpus not found at ${REAL}: set KUBEHARDEN_CORPUS to a folder of manifests`);
    process.exit(2);
  }
  const flag = process.argv.indexOf('--copies');
  const scales = flag > 0 ? (process.argv[flag + 1] ?? '').split(',').map(Number) : [1, 10, 33];
  const rows: string[][] = [['dataset', 'objects', 'js-yaml parse', 'kubeharden scan', 'ratio', 'objects/s', 'peak MiB (parse / scan)', 'findings']];
  for (const copies of scales) {
    const dir = dataset(copies);
    const parse = measure('parse', dir);
    const scan = measure('scan', dir);
    rows.push([
      copies === 1 ? 'real corpus' : `${copies}x`,
      String(scan.objects),
      `${(parse.ms / 1000).toFixed(2)} s`,
      `${(scan.ms / 1000).toFixed(2)} s`,
      `${(scan.ms / parse.ms).toFixed(2)}x`,
      String(Math.round(scan.objects / (scan.ms / 1000))),
      `${parse.maxRssMiB} / ${scan.maxRssMiB}`,
      String(scan.findings),
    ]);
    process.stderr.write(`${rows[rows.length - 1]!.join('  ')}\n`);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

main();
