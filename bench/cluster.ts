// The cluster-source benchmark: lists a large cluster from the local HTTPS stand-in for the
// API server (test/sources/cluster/fake-apiserver.ts; no API server can be installed here) and
// prints time and peak memory. The server runs in its own process, so the peak memory printed
// is the scanner's own. Benchmarks are not tests: nothing here asserts.
//
//   npm run build && node dist/bench/cluster.js                  # 10,000, 50,000 and 100,000 objects
//   node dist/bench/cluster.js --objects 50000 --page-size 500
//
// The cluster is the corpus cluster of the tests (real-world manifests grouped by kind, plus
// three Nodes) copied under new namespace and object names until it holds the number asked for.

import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { scaledCluster } from './scaled-cluster.js';
import { startFakeApiServer } from '../test/sources/cluster/fake-apiserver.js';
import { readCluster } from '../src/sources/cluster/source.js';
import { scanClusterRead } from '../src/engine/scan-cluster.js';
import { keepHeapNearLive } from '../src/cli/heap.js';

const SELF = fileURLToPath(import.meta.url);

/** Child process: serve a cluster of N objects until stdin closes; print the kubeconfig path. */
async function serve(objects: number): Promise<void> {
  const cluster = await scaledCluster(objects);
  const server = await startFakeApiServer(cluster);
  const listBytes = Buffer.byteLength(JSON.stringify(cluster));
  process.stdout.write(JSON.stringify({ kubeconfig: server.kubeconfig(), objects: cluster.length, listBytes }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
}

/** Child process: read (and scan) the cluster; print one JSON line of measurements. */
async function read(kubeconfig: string, pageSize: number): Promise<void> {
  // As the CLI does at its start (src/cli/heap.ts): the figures are those of `kubeharden scan --cluster`.
  keepHeapNearLive();
  const start = performance.now();
  const clusterRead = await readCluster({ kubeconfig, pageSize });
  const readMs = performance.now() - start;
  const heapAfterReadMiB = process.memoryUsage().heapUsed / 1024 / 1024;
  const peakRssReadMiB = process.resourceUsage().maxRSS / 1024;
  const scanStart = performance.now();
  const result = scanClusterRead(clusterRead);
  const scanMs = performance.now() - scanStart;
  process.stdout.write(
    JSON.stringify({
      objects: clusterRead.inventory.size,
      readMs,
      scanMs,
      findings: result.findings.length,
      heapAfterReadMiB,
      peakRssReadMiB,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
      totalMs: performance.now() - start,
    }) + '\n',
  );
}

async function drive(sizes: number[], pageSize: number): Promise<void> {
  const rows = [['objects', 'list JSON', 'page size', 'read', 'objects/s', 'checks', 'read+checks (CPU)', 'findings', 'heap after read', 'peak RSS read', 'peak RSS read+scan', 'load']];
  for (const size of sizes) {
    const server = spawn(process.execPath, [SELF, 'serve', String(size)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const info = await new Promise<{ kubeconfig: string; objects: number; listBytes: number }>((resolve, reject) => {
      let buffer = '';
      server.stdout.on('data', (d) => {
        buffer += d;
        if (buffer.includes('\n')) resolve(JSON.parse(buffer.split('\n')[0]!));
      });
      server.on('exit', (code) => reject(new Error(`the server exited (${code})`)));
    });
    const run = spawnSync(process.execPath, [SELF, 'read', info.kubeconfig, String(pageSize)], { encoding: 'utf8' });
    server.stdin.end();
    if (run.status !== 0) throw new Error(`read failed: ${run.stderr}`);
    const m = JSON.parse(run.stdout.trim().split('\n').pop()!);
    rows.push([
      String(m.objects),
      `${(info.listBytes / 1024 / 1024).toFixed(1)} MiB`,
      String(pageSize),
      `${(m.readMs / 1000).toFixed(2)} s`,
      String(Math.round(m.objects / (m.readMs / 1000))),
      `${(m.scanMs / 1000).toFixed(2)} s`,
      `${(m.totalMs / 1000).toFixed(2)} s (${(m.cpuMs / 1000).toFixed(2)} s)`,
      String(m.findings),
      `${m.heapAfterReadMiB.toFixed(0)} MiB`,
      `${m.peakRssReadMiB.toFixed(0)} MiB`,
      `${m.maxRssMiB.toFixed(0)} MiB`,
      os.loadavg()[0]!.toFixed(1),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
}

const [mode, ...args] = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
if (mode === 'serve') await serve(Number(args[0]));
else if (mode === 'read') await read(args[0]!, Number(args[1]));
else await drive(option('--objects', '10000,50000,100000').split(',').map(Number), Number(option('--page-size', '500')));
