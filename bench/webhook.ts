// The admission webhook under load: `kubeharden webhook` in its own process, pinned to one CPU
// core with taskset (when present) — its event loop and its judging threads share that core, as
// in a pod with a one-CPU limit — and autocannon on loopback driving it with AdmissionReviews.
// Three bodies: a typical Pod, a large Deployment, and a hostile large Pod (15,000 containers,
// under the API server's 3 MiB limit), each at a fixed rate and then flat out. Prints throughput,
// p50/p95/p99 latency (from every response time, not a histogram), errors, the webhook's memory
// (RSS) sampled every second, and the machine's load average beside each run.
//
// The load generator behaves as kube-apiserver's webhook client does: HTTPS keep-alive
// connections that verify the caBundle (one TLS handshake per connection, not per request), many
// requests in flight at once, arriving independently of each other (open loop, Poisson arrivals
// at the offered rate; see openLoop for why not autocannon's rate limit). Flat-out runs use
// autocannon's closed loop. Each row also gives the server's CPU time per request (all its
// threads, from /proc): what a request costs whatever the machine's load.
//
// The floor: before the webhook, a trivial HTTPS server (same TLS, same pinning, answers every
// POST with a fixed AdmissionReview response after reading the body) is measured the same way in
// the same run. What it shows is what the machine and Node's HTTPS stack cost at that rate; what
// the webhook adds above it is its own. On a shared machine the floor moves with the load.
//
// Benchmarks are not tests: nothing here asserts.
//
//   npm run bench:webhook                     # 300 req/s and flat out, 20 connections, 15 s each
//   node dist/bench/webhook.js --seconds 30 --rate 300 --connections 20
//   node dist/bench/webhook.js --bodies typical --no-flat-out       # only the typical Pod at 300/s
//   node dist/bench/webhook.js --bodies typical --profile /tmp/prof  # webhook under node --cpu-prof
//   node dist/bench/webhook.js --no-pin        # let the scheduler place the servers (a shared machine)

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { makePki } from '../test/sources/etcd/harness.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

function textArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const SECONDS = arg('seconds', 15);
const RATE = arg('rate', 300);
const CONNECTIONS = arg('connections', 20);
/** A request not answered within this is an error, as the API server counts it (timeoutSeconds: 5 in deploy/). */
const TIMEOUT_MS = 5_000;
const BODIES = (textArg('bodies') ?? 'typical,large,hostile').split(',');
const FLAT_OUT = !process.argv.includes('--no-flat-out');
const FLOOR = !process.argv.includes('--no-floor');
const PROFILE_DIR = textArg('profile');
const TASKSET = spawnSync('taskset', ['--version']).status === 0;
/** Pin the servers to CPU 0 (default), modelling a one-CPU pod; `--no-pin` lets the scheduler place them. */
const PIN = TASKSET && !process.argv.includes('--no-pin');
/** Pin the load generator to CPU 1. Off by default: on a shared machine one busy core would stall it. */
const PIN_CLIENT = process.argv.includes('--pin-client');

let uid = 0;
function review(object: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `bench-${uid++}`,
      kind: { group: object.apiVersion === 'v1' ? '' : 'apps', version: 'v1', kind: object.kind },
      resource: { group: '', version: 'v1', resource: 'pods' },
      operation: 'CREATE',
      namespace: 'shop',
      name: (object.metadata as { name: string }).name,
      userInfo: { username: 'bench' },
      object,
      dryRun: false,
    },
  });
}

const hardenedContainer = (name: string) => ({
  name,
  image: 'registry.example/web@sha256:' + 'a'.repeat(64),
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
  livenessProbe: { httpGet: { path: '/', port: 8080 } },
  readinessProbe: { httpGet: { path: '/', port: 8080 } },
  ports: [{ containerPort: 8080, name: 'http' }],
  env: [{ name: 'MODE', value: 'production' }],
});

const podSpec = (containers: unknown[]) => ({
  serviceAccountName: 'web',
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers,
});

const TYPICAL_POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-7d4b9c-x2x9k', namespace: 'shop', labels: { app: 'web' } }, spec: podSpec([hardenedContainer('app')]) };

const LARGE_DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'big', namespace: 'shop', labels: { app: 'big' }, annotations: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`example.com/note-${i}`, 'x'.repeat(200)])) },
  spec: {
    selector: { matchLabels: { app: 'big' } },
    template: {
      metadata: { labels: { app: 'big' } },
      spec: {
        ...podSpec(Array.from({ length: 40 }, (_, i) => ({ ...hardenedContainer(`c${i}`), env: Array.from({ length: 30 }, (_, j) => ({ name: `VAR_${j}`, value: 'v'.repeat(40) })) }))),
        initContainers: Array.from({ length: 5 }, (_, i) => hardenedContainer(`init${i}`)),
        volumes: Array.from({ length: 30 }, (_, i) => ({ name: `cfg${i}`, configMap: { name: `cfg${i}` } })),
      },
    },
  },
};

const HOSTILE_POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', namespace: 'shop' }, spec: { containers: Array.from({ length: 15_000 }, (_, i) => ({ name: `c${i}`, image: 'busybox' })) } };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system, all threads) a process has used so far, in ms; NaN when unreadable. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/PID/stat (11 and 12 after the command), in clock ticks.
    const ticks = Number(fields[11]) + Number(fields[12]);
    const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return (ticks * 1000) / hz;
  } catch {
    return NaN;
  }
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** A trivial HTTPS server: reads the body, answers a fixed allowed AdmissionReview response. The floor of every figure. */
const FLOOR_SERVER = `
const https = require('node:https');
const fs = require('node:fs');
const answer = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'floor', allowed: true } });
const server = https.createServer({ cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]), minVersion: 'TLSv1.2' }, (req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }); res.end(answer); });
});
server.listen(Number(process.argv[3]), '127.0.0.1', () => process.stderr.write('listening on ' + process.argv[3] + '\\n'));
`;

/**
 * The same, with one round trip to a worker thread per request (the body there, an answer back),
 * as the webhook's judging pool does: what handing work to another thread costs on this machine.
 */
const FLOOR_SERVER_WITH_THREAD = `
const https = require('node:https');
const fs = require('node:fs');
const { Worker } = require('node:worker_threads');
const worker = new Worker("require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage({ id: m.id, answer: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'floor', allowed: true } } }))", { eval: true });
const waiting = new Map();
let next = 0;
worker.on('message', (m) => { const res = waiting.get(m.id); waiting.delete(m.id); const answer = JSON.stringify(m.answer); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }); res.end(answer); });
const server = https.createServer({ cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]), minVersion: 'TLSv1.2' }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => { const id = next++; waiting.set(id, res); worker.postMessage({ id, body: Buffer.concat(chunks).toString() }); });
});
server.listen(Number(process.argv[3]), '127.0.0.1', () => process.stderr.write('listening on ' + process.argv[3] + '\\n'));
`;

/**
 * Starts a Node process pinned to CPU 0 (unless --no-pin), resolved once it says it is listening.
 * Its stderr (the webhook logs a line per decision) goes to a file, not a pipe to this process:
 * Node writes to a pipe synchronously, so a late reader here would stall the server under test.
 */
async function startPinned(args: string[], logDir: string): Promise<ChildProcess> {
  const logFile = path.join(logDir, `server-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
  const fd = openSync(logFile, 'w');
  const stdio: ['ignore', 'ignore', number] = ['ignore', 'ignore', fd];
  const child = PIN ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio }) : spawn(process.execPath, args, { stdio });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (;;) {
    const text = readFileSync(logFile, 'utf8');
    if (text.includes('listening on')) return child;
    if (exited !== undefined) throw new Error(`the server exited (${exited}): ${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startWebhookProcess(pki: ReturnType<typeof makePki>, port: number): Promise<ChildProcess> {
  const logDir = pki.dir;
  const bin = path.join(REPO_ROOT, 'bin', 'kubeharden.js');
  const profile = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
  return startPinned([...profile, bin, 'webhook', '--tls-cert', pki.files.serverCert, '--tls-key', pki.files.serverKey, '--port', String(port), '--workers', '1'], logDir);
}

interface Figures {
  name: string;
  rate: string;
  bytes: number;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  /** The server's CPU time (all its threads) per answered request, ms: what it costs, whatever the machine's load. */
  cpuPerRequest: number;
  /** p99 counted from when each request was due (open loop only). */
  dueP99: number;
  /** p99 of the load generator's own lateness (open loop only). */
  lagP99: number;
  /** 1-minute load average of the machine before and after the run. */
  load: [number, number];
  max: number;
  non2xx: number;
  errors: number;
  rss: number[];
}

/** What one run measured. */
interface Sample {
  /** Every response time (ms) from when the request was handed to the HTTPS client: the API server's view. */
  times: number[];
  /** The same, from when the request was due (open loop only): the generator's own lateness included. */
  fromDue: number[];
  /** How late the load generator itself sent each request (ms past its due time): its own share of the delay. */
  lags: number[];
  non2xx: number;
  errors: number;
  seconds: number;
}

/** A small seeded generator (mulberry32), so every run offers the same arrival times. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Open-loop load at a fixed rate, as admission requests reach the webhook from kube-apiserver:
 * arrivals of independent API requests (Poisson, seeded), sent over at most CONNECTIONS keep-alive
 * HTTPS connections that verify the webhook's certificate (the caBundle), one request per
 * connection at a time (HTTP/1.1). A request's time runs from when it is handed to the HTTPS
 * client, so waiting for a free connection counts against the result (no coordinated omission,
 * and no back-filled values); a second set of times runs from when it was due, so the
 * generator's own lateness — a process woken late on a loaded machine — is shown beside it.
 *
 * Not autocannon for this: its rate limit lets each connection send its quota for the second
 * back to back at the top of every second, so "300 requests/s" arrives as one burst of 300 per
 * second and latency measures the place in that queue; and it back-fills its histogram for
 * coordinated omission with an expected interval of 1 ms.
 */
async function openLoop(port: number, ca: Buffer, body: string, rate: number): Promise<Sample> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONNECTIONS, ca });
  const random = seeded(20261206);
  const sample: Sample = { times: [], fromDue: [], lags: [], non2xx: 0, errors: 0, seconds: SECONDS };
  const pending: Promise<void>[] = [];
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      sample.lags.push(sent - due);
      const req = https.request({ host: '127.0.0.1', port, path: '/validate', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          const now = performance.now();
          if (res.statusCode === 200) {
            sample.times.push(now - sent);
            sample.fromDue.push(now - due);
          } else sample.non2xx++;
          resolve();
        });
      });
      // As the API server gives up after the webhook's timeoutSeconds (5 in deploy/), waiting for a connection included.
      const deadline = setTimeout(() => req.destroy(new Error('timeout')), TIMEOUT_MS);
      req.on('close', () => clearTimeout(deadline));
      req.on('error', () => {
        sample.errors++;
        resolve();
      });
      req.end(body);
    });
  const start = performance.now();
  let next = start;
  const end = start + SECONDS * 1000;
  while (next < end) {
    const now = performance.now();
    // Everything due by now goes out (several at once after a late wake-up), each timed from when it was due.
    while (next <= now && next < end) {
      pending.push(send(next));
      next += (-Math.log(1 - random()) * 1000) / rate;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(next - performance.now(), 5))));
  }
  await Promise.all(pending);
  sample.seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return sample;
}

/** Closed loop, flat out: autocannon's CONNECTIONS keep-alive connections, each sending the next request once answered. */
async function flatOut(port: number, body: string): Promise<Sample> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `https://127.0.0.1:${port}/validate`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, duration: SECONDS },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (status === 200) times.push(responseTime);
    });
  });
  return { times, fromDue: [], lags: [], non2xx: result.non2xx, errors: result.errors + result.timeouts, seconds: result.duration };
}

/** Nearest-rank percentiles of a list of times, in ms with one decimal. */
function percentiles(values: number[]): (p: number) => number {
  const sorted = [...values].sort((a, b) => a - b);
  return (p) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! * 10) / 10 : NaN);
}

async function load(name: string, body: string, port: number, ca: Buffer, pid: number, rate: number | undefined): Promise<Figures> {
  const rss: number[] = [];
  const before = os.loadavg()[0]!;
  const sampler = setInterval(() => rss.push(rssMiB(pid)), 1000);
  const cpuBefore = cpuMs(pid);
  const sample = rate ? await openLoop(port, ca, body, rate) : await flatOut(port, body);
  clearInterval(sampler);
  const cpu = cpuMs(pid) - cpuBefore;
  const pct = percentiles(sample.times);
  const lag = percentiles(sample.lags);
  const due = percentiles(sample.fromDue);
  if (process.env.KUBEHARDEN_BENCH_DEBUG) {
    const late = sample.lags.map((l, i) => [i, l] as const).filter(([, l]) => l > 50);
    console.log(`  ${late.length} requests sent more than 50 ms late; first at #${late[0]?.[0]}, last at #${late.at(-1)?.[0]}, worst ${Math.round(Math.max(0, ...late.map(([, l]) => l)))} ms`);
  }
  return {
    name,
    rate: rate ? `${rate}/s` : 'flat out',
    bytes: Buffer.byteLength(body),
    requests: sample.times.length + sample.non2xx + sample.errors,
    throughput: sample.times.length / sample.seconds,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    max: Math.round(pct(100)),
    lagP99: lag(99),
    dueP99: due(99),
    cpuPerRequest: cpu / Math.max(1, sample.times.length + sample.non2xx),
    non2xx: sample.non2xx,
    errors: sample.errors,
    rss,
    load: [before, os.loadavg()[0]!],
  };
}

async function main(): Promise<void> {
  const pki = makePki();
  // The load generator on the other core, as the API server would be (another process, another CPU).
  if (TASKSET && PIN_CLIENT) spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  console.log(`${PIN ? 'servers pinned to CPU 0' : 'servers not pinned'}, ${TASKSET && PIN_CLIENT ? 'load generator pinned to CPU 1' : 'load generator not pinned'}${TASKSET ? '' : ' (taskset not found)'}`);
  console.log(`at most ${CONNECTIONS} keep-alive HTTPS connections, ${SECONDS} s per run, fixed rates open-loop (Poisson arrivals), flat out closed-loop (autocannon), loopback, RSS sampled every second; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const rows: Figures[] = [];
  const bodies = { typical: ['typical Pod', TYPICAL_POD], large: ['large Deployment', LARGE_DEPLOYMENT], hostile: ['hostile large Pod', HOSTILE_POD] } as const;
  const rates = FLAT_OUT ? [RATE, undefined] : [RATE];
  try {
    if (FLOOR) {
      for (const [name, script] of [['floor: trivial HTTPS server', FLOOR_SERVER], ['floor + a worker-thread round trip', FLOOR_SERVER_WITH_THREAD]] as const) {
        const port = await freePort();
        const floor = await startPinned(['-e', script, pki.files.serverCert, pki.files.serverKey, String(port)], pki.dir);
        try {
          for (const rate of rates) {
            const row = await load(name, review(TYPICAL_POD), port, pki.ca, floor.pid!, rate);
            rows.push(row);
            console.log(format(row));
          }
        } finally {
          floor.kill('SIGTERM');
        }
      }
    }
    const port = await freePort();
    const webhook = await startWebhookProcess(pki, port);
    // The child of taskset is the webhook itself (taskset execs it), so its pid is the webhook's.
    try {
      for (const key of BODIES) {
        const [name, object] = bodies[key as keyof typeof bodies] ?? [];
        if (!name) throw new Error(`--bodies: unknown body ${key} (typical, large, hostile)`);
        const body = review(object as Record<string, unknown>);
        for (const rate of rates) {
          const row = await load(name, body, port, pki.ca, webhook.pid!, rate);
          rows.push(row);
          console.log(format(row));
        }
      }
    } finally {
      webhook.kill('SIGTERM');
      await new Promise((r) => webhook.once('exit', r));
    }
  } finally {
    rmSync(pki.dir, { recursive: true, force: true });
  }
  console.log('\n| body | size | offered | answered/s | p50 | p95 | p99 | max | p99 from due | client lag p99 | CPU per request | non-2xx | errors | RSS MiB (start → end, max) | load avg (before → after) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const valid = r.rss.filter((x) => !Number.isNaN(x));
    console.log(`| ${r.name} | ${kib(r.bytes)} | ${r.rate} | ${Math.round(r.throughput)} | ${r.p50} ms | ${r.p95} ms | ${r.p99} ms | ${r.max} ms | ${Number.isNaN(r.dueP99) ? '–' : `${r.dueP99} ms`} | ${Number.isNaN(r.lagP99) ? '–' : `${r.lagP99} ms`} | ${r.cpuPerRequest.toFixed(2)} ms | ${r.non2xx} | ${r.errors} | ${valid[0]} → ${valid.at(-1)}, ${Math.max(...valid)} | ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)} |`);
  }
  if (PROFILE_DIR) console.log(`\nCPU profiles of the webhook (main thread and judging thread) in ${PROFILE_DIR}`);
}

function kib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

function format(r: Figures): string {
  return `${r.name} (${kib(r.bytes)}) at ${r.rate}: ${Math.round(r.throughput)} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, load ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)}, max ${r.max} ms, ${r.non2xx} non-2xx, ${r.errors} errors; RSS MiB over time: ${r.rss.join(' ')}`;
}

await main();
