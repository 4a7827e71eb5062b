// The benchmark: scans the real-world corpus and the corpus scaled up, and prints wall time,
// CPU time and peak memory (RSS) of the whole process, beside the same for a bare parse of the
// same files with js-yaml 4 loaded as CommonJS, measured in the same run, interleaved (parse,
// scan, parse, scan …), so that a busy machine slows both alike. The ratios are per pair; the
// row shows the pair with the median wall-time ratio (of two, the lower). Benchmarks are not tests: nothing here asserts.
//
//   npm run bench                                   # real corpus, 10x and 33x, JSON report
//   npm run bench -- --copies 1,10 --repeat 3       # choose the scales and the pairs per scale
//   npm run bench -- --format ndjson                # the report format the scan writes
//   KUBEHARDEN_CORPUS=/path/to/manifests npm run bench
//   KUBEHARDEN_BENCH_DATA=/path npm run bench       # where the scaled copies are kept (reused)
//
// The real corpus is the test fixture test/fixtures/corpus/real (sources and licenses beside
// it); bench/scale.mjs replicates it N times into a folder that is reused between runs.
// The machine's load average is printed beside each row: compare ratios, not seconds, and
// only between rows measured at a similar load.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const REAL = process.env.KUBEHARDEN_CORPUS ?? path.join(ROOT, 'test', 'fixtures', 'corpus', 'real');
const SCALE = path.join(ROOT, 'bench', 'scale.mjs');
const DATA = process.env.KUBEHARDEN_BENCH_DATA ?? path.join(os.tmpdir(), `kubeharden-bench-${os.userInfo().username}`);

interface Measurement {
  ms: number;
  cpuMs: number;
  objects?: number;
  findings?: number;
  maxRssMiB: number;
}

function measure(args: string[]): Measurement {
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', path.join(ROOT, 'dist', 'bench', 'measure.js'), ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Measurement;
}

function dataset(copies: number): string {
  if (copies === 1) return REAL;
  const out = path.join(DATA, `x${copies}`);
  // scale.mjs names copy i `c` and i in five digits: the last copy there means the set is complete.
  if (!existsSync(path.join(out, `c${String(copies).padStart(5, '0')}`))) {
    mkdirSync(out, { recursive: true });
    process.stderr.write(`generating ${copies} copies of the corpus in ${out} …\n`);
    execFileSync(process.execPath, [SCALE, '--in', REAL, '--copies', String(copies), '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return out;
}

const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () => os.loadavg()[0]!.toFixed(1);

function main(): void {
  if (!existsSync(REAL)) {
    console.error(`corpus not found at ${REAL}: set KUBEHARDEN_CORPUS to a folder of manifests`);
    process.exit(2);
  }
  const scales = option('--copies', '1,10,33').split(',').map(Number);
  const repeat = Math.max(1, Number(option('--repeat', '2')));
  const format = option('--format', 'json');
  const rows: string[][] = [
    ['dataset', 'objects', 'findings', 'js-yaml wall / CPU', 'scan wall / CPU', 'ratio wall / CPU', 'objects/s', 'peak RSS MiB (parse / scan)', 'load'],
  ];
  for (const copies of scales) {
    const dir = dataset(copies);
    const pairs: { parse: Measurement; scan: Measurement; load: string }[] = [];
    for (let i = 0; i < repeat; i++) {
      const before = load();
      const parse = measure(['parse', dir]);
      const scan = measure(['scan', dir, format]);
      pairs.push({ parse, scan, load: `${before}→${load()}` });
      process.stderr.write(
        `${copies}x pair ${i + 1}: parse ${seconds(parse.ms)} (CPU ${seconds(parse.cpuMs)}, ${parse.maxRssMiB} MiB), ` +
          `scan ${seconds(scan.ms)} (CPU ${seconds(scan.cpuMs)}, ${scan.maxRssMiB} MiB), load ${pairs[i]!.load}\n`,
      );
    }
    pairs.sort((a, b) => a.scan.ms / a.parse.ms - b.scan.ms / b.parse.ms);
    const { parse, scan, load: loadRange } = pairs[Math.floor((pairs.length - 1) / 2)]!;
    rows.push([
      copies === 1 ? 'real corpus' : `${copies}x`,
      String(scan.objects ?? ''),
      String(scan.findings ?? ''),
      `${seconds(parse.ms)} / ${seconds(parse.cpuMs)}`,
      `${seconds(scan.ms)} / ${seconds(scan.cpuMs)}`,
      `${(scan.ms / parse.ms).toFixed(2)}x / ${(scan.cpuMs / parse.cpuMs).toFixed(2)}x`,
      String(Math.round((scan.objects ?? 0) / (scan.ms / 1000))),
      `${parse.maxRssMiB} / ${scan.maxRssMiB}`,
      loadRange,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}; report --format ${format}; ${repeat} interleaved pair(s) per row, the pair with the median wall ratio shown (of two, the lower)`);
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

main();
