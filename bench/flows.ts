// Benchmark (not a test): reading flow logs in a stream. Writes a gzipped Hubble log of N flow
// records (default 1,000,000: 200 workloads × 5 peers × 1,000 pods' worth of per-pod names and
// source ports, half of them replies) to a temporary directory, reads it with the reader
// `generate netpol --from-flows` uses, aggregates it, and prints the time, the distinct flows and
// the peak heap — which stays flat as N grows, because only distinct flows are kept.
// Run: npm run build && node dist/bench/flows.js [records]

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';
import { FlowAggregate } from '../src/fix/netpol-from-flows.js';
import { readFlows } from '../src/sources/flows/read-flows.js';

const RECORDS = Number(process.argv[2] ?? 1_000_000);
const WORKLOADS = 200;

function line(i: number): string {
  const src = i % WORKLOADS;
  const dst = (src * 7 + (Math.floor(i / WORKLOADS) % 5) + 1) % WORKLOADS;
  const reply = i % 2 === 1;
  const ep = (w: number) => ({
    namespace: `ns${w % 10}`,
    labels: [`k8s:app=app${w}`, `k8s:pod-template-hash=h${i % 1000}`, `k8s:io.kubernetes.pod.namespace=ns${w % 10}`],
    pod_name: `app${w}-h${i % 1000}-p${i % 97}`,
  });
  const [a, b] = reply ? [dst, src] : [src, dst];
  return JSON.stringify({
    flow: {
      time: '2026-12-05T09:00:00Z',
      verdict: 'FORWARDED',
      IP: { source: `10.0.${a}.${i % 250}`, destination: `10.0.${b}.${i % 250}`, ipVersion: 'IPv4' },
      l4: { TCP: { source_port: reply ? 8000 + dst : 30000 + (i % 30000), destination_port: reply ? 30000 + (i % 30000) : 8000 + dst, flags: reply ? { SYN: true, ACK: true } : { SYN: true } } },
      source: ep(a),
      destination: ep(b),
      Type: 'L3_L4',
      is_reply: reply,
    },
    node_name: 'node-1',
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kubeharden-bench-flows-'));
  try {
    const file = path.join(dir, 'flows.jsonpb.gz');
    const gz = createGzip();
    const out = gz.pipe(createWriteStream(file));
    for (let i = 0; i < RECORDS; i++) if (!gz.write(line(i) + '\n')) await once(gz, 'drain');
    gz.end();
    await once(out, 'finish');
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    const start = process.hrtime.bigint();
    const aggregate = new FlowAggregate();
    const stats = await readFlows([file], (f) => aggregate.add(f), () => undefined);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    console.log(`flow log: ${RECORDS.toLocaleString('en')} records, ${((await stat(file)).size / 1e6).toFixed(1)} MB gzipped`);
    console.log(`read: ${stats.flows.toLocaleString('en')} initiations kept, ${Object.entries(stats.skipped).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ')} skipped; ${aggregate.size} distinct flows`);
    console.log(`time: ${(ms / 1000).toFixed(1)} s (${Math.round(RECORDS / (ms / 1000)).toLocaleString('en')} records/s); peak heap ${(peak / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
