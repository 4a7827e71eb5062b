// The admission webhook under load: `kubeharden webhook` in its own process, pinned to one CPU
// core with taskset (when present) — its event loop and its judging threads share that core, as
// in a pod with a one-CPU limit — and autocannon on loopback driving it with AdmissionReviews.
// Three bodies: a typical Pod, a large Deployment, and a hostile large Pod (15,000 containers,
// under the API server's 3 MiB limit), each at a fixed rate and then flat out. Prints throughput,
// p50/p99 latency, errors, and the webhook's memory (RSS) sampled every second. Benchmarks are not
// tests: nothing here asserts.
//
//   npm run bench:webhook                     # 300 req/s and flat out, 20 connections, 15 s each
//   node dist/bench/webhook.js --seconds 30 --rate 300 --connections 20

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { makePki } from '../test/sources/etcd/harness.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const SECONDS = arg('seconds', 15);
const RATE = arg('rate', 300);
const CONNECTIONS = arg('connections', 20);

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

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

async function startWebhookProcess(pki: ReturnType<typeof makePki>, port: number): Promise<ChildProcess> {
  const bin = path.join(REPO_ROOT, 'bin', 'kubeharden.js');
  const args = ['webhook', '--tls-cert', pki.files.serverCert, '--tls-key', pki.files.serverKey, '--port', String(port), '--workers', '1'];
  const pinned = spawnSync('taskset', ['--version']).status === 0;
  const child = pinned ? spawn('taskset', ['-c', '0', process.execPath, bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  console.log(pinned ? 'webhook pinned to CPU 0 with taskset (event loop and judging thread share it)' : 'taskset not found: the webhook is not pinned to one core');
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (d) => {
      text += d;
      if (text.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the webhook exited (${code}): ${text}`)));
  });
  child.stderr!.resume();
  return child;
}

interface Figures {
  name: string;
  rate: string;
  bytes: number;
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  rss: number[];
}

async function load(name: string, body: string, port: number, pid: number, rate: number | undefined): Promise<Figures> {
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMiB(pid)), 1000);
  const result = await autocannon({
    url: `https://127.0.0.1:${port}/validate`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(rate ? { overallRate: rate } : {}),
  });
  clearInterval(sampler);
  return {
    name,
    rate: rate ? `${rate}/s` : 'flat out',
    bytes: Buffer.byteLength(body),
    requests: result.requests.total,
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rss,
  };
}

async function main(): Promise<void> {
  const pki = makePki();
  const port = await freePort();
  const webhook = await startWebhookProcess(pki, port);
  const pid = webhook.pid!;
  // The child of taskset is the webhook itself (taskset execs it), so its pid is the webhook's.
  console.log(`${CONNECTIONS} connections, ${SECONDS} s per run, loopback, RSS of the webhook sampled every second\n`);
  const rows: Figures[] = [];
  try {
    for (const [name, object] of [['typical Pod', TYPICAL_POD], ['large Deployment', LARGE_DEPLOYMENT], ['hostile large Pod', HOSTILE_POD]] as const) {
      const body = review(object as Record<string, unknown>);
      for (const rate of [RATE, undefined]) {
        const row = await load(name, body, port, pid, rate);
        rows.push(row);
        console.log(format(row));
      }
    }
  } finally {
    webhook.kill('SIGTERM');
    rmSync(pki.dir, { recursive: true, force: true });
  }
  console.log('\n| body | size | offered | req/s | p50 | p99 | max | non-2xx | errors | RSS MiB (start → end, max) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const valid = r.rss.filter((x) => !Number.isNaN(x));
    console.log(`| ${r.name} | ${kib(r.bytes)} | ${r.rate} | ${Math.round(r.throughput)} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms | ${r.non2xx} | ${r.errors} | ${valid[0]} → ${valid.at(-1)}, ${Math.max(...valid)} |`);
  }
}

function kib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

function format(r: Figures): string {
  return `${r.name} (${kib(r.bytes)}) at ${r.rate}: ${Math.round(r.throughput)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, ${r.non2xx} non-2xx, ${r.errors} errors; RSS MiB over time: ${r.rss.join(' ')}`;
}

await main();
