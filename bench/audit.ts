// Benchmark of `generate rbac --from-audit-log` (not a test): writes an audit log of EVENTS
// events (default 1,000,000) shaped like a real kube-apiserver's at Metadata level — 300
// ServiceAccounts in 60 namespaces plus controllers and system:masters users, get/list/watch/
// create/update/patch/delete on a dozen resources, status subresources, non-resource URLs,
// RequestReceived + ResponseComplete per request (ResponseStarted for watches), some denied —
// then runs the real command over it in a fresh process (plain, then gzipped) and prints the
// time and the whole process's peak RSS, with a bare read + JSON.parse of every line as the floor.
//
//   npm run bench:audit [-- EVENTS]
//   node dist/bench/audit.js EVENTS FILE    only writes the log to FILE (to profile with it)

import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const NAMESPACES = 60;
const ACCOUNTS_PER_NS = 5;
const RESOURCES: [group: string, resource: string, sub: string][] = [
  ['', 'pods', ''], ['', 'pods', 'status'], ['', 'configmaps', ''], ['', 'secrets', ''], ['', 'services', ''],
  ['', 'endpoints', ''], ['apps', 'deployments', ''], ['apps', 'deployments', 'status'], ['apps', 'replicasets', ''],
  ['batch', 'jobs', ''], ['coordination.k8s.io', 'leases', ''], ['discovery.k8s.io', 'endpointslices', ''],
];
const VERBS = ['get', 'get', 'get', 'list', 'watch', 'update', 'patch', 'create', 'delete'];

/** A small deterministic generator, so every run writes the same log. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function* events(total: number): Generator<string> {
  const rand = rng(17);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const t0 = Date.parse('2026-12-01T00:00:00Z');
  let written = 0;
  for (let i = 0; written < total; i++) {
    const ts = new Date(t0 + i * 50).toISOString().replace('Z', '000Z');
    const auditID = `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-4b1c-4f7e-9a3d-${i.toString(16).padStart(12, '0')}`;
    const kind = rand();
    let user: { username: string; uid: string; groups: string[] };
    if (kind < 0.85) {
      const ns = `ns-${Math.floor(rand() * NAMESPACES)}`;
      user = { username: `system:serviceaccount:${ns}:sa-${Math.floor(rand() * ACCOUNTS_PER_NS)}`, uid: auditID.slice(0, 36), groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] };
    } else if (kind < 0.95) {
      user = { username: 'system:kube-controller-manager', uid: '', groups: ['system:authenticated'] };
    } else {
      user = { username: 'kubernetes-admin', uid: '', groups: ['kubeadm:cluster-admins', 'system:masters', 'system:authenticated'] };
    }
    const nonResource = rand() < 0.03;
    const verb = nonResource ? 'get' : pick(VERBS);
    const [group, resource, sub] = pick(RESOURCES);
    const ns = user.username.startsWith('system:serviceaccount:') ? user.username.split(':')[2]! : `ns-${Math.floor(rand() * NAMESPACES)}`;
    const named = verb !== 'list' && verb !== 'watch' && verb !== 'create';
    const name = named ? `${resource.slice(0, -1)}-${Math.floor(rand() * (resource === 'pods' ? 2000 : 8))}` : undefined;
    const base = group ? `/apis/${group}/v1` : '/api/v1';
    const requestURI = nonResource ? pick(['/metrics', '/healthz', '/version', '/api', '/apis']) : `${base}/namespaces/${ns}/${resource}${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}${verb === 'watch' ? '?watch=true' : ''}`;
    const objectRef = nonResource ? undefined : { resource, namespace: ns, ...(name ? { name } : {}), ...(group ? { apiGroup: group } : {}), apiVersion: 'v1', ...(sub ? { subresource: sub } : {}) };
    const denied = rand() < 0.02;
    const common = {
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID, requestURI, verb: nonResource ? 'get' : verb, user,
      sourceIPs: ['10.0.0.12'], userAgent: 'manager/v0.0.0 (linux/amd64) kubernetes/$Format', ...(objectRef ? { objectRef } : {}),
      requestReceivedTimestamp: ts,
    };
    const annotations = { 'authorization.k8s.io/decision': denied ? 'forbid' : 'allow', 'authorization.k8s.io/reason': denied ? '' : 'RBAC: allowed by RoleBinding "x/y" of Role "y" to ServiceAccount "sa/x"' };
    const stages = verb === 'watch' ? ['RequestReceived', 'ResponseStarted', 'ResponseComplete'] : ['RequestReceived', 'ResponseComplete'];
    for (const stage of stages) {
      if (written >= total) return;
      const done = stage !== 'RequestReceived';
      yield JSON.stringify({ ...common, stage, ...(done ? { responseStatus: { metadata: {}, code: denied ? 403 : 200 } } : {}), stageTimestamp: ts, ...(done ? { annotations } : {}) }) + '\n';
      written++;
    }
  }
}

async function writeLog(file: string): Promise<void> {
  const out = createWriteStream(file);
  for (const line of events(EVENTS)) if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

function measure(mode: string, file: string): { ms: number; maxRssMiB: number; [k: string]: unknown } {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'audit-measure.js');
  const run = spawnSync(process.execPath, [script, mode, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`${mode} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { ms: number; maxRssMiB: number };
}

async function main(): Promise<void> {
  if (process.argv[3]) return writeLog(process.argv[3]);
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-bench-audit-'));
  try {
    const log = path.join(dir, 'audit.log');
    let start = performance.now();
    await writeLog(log);
    const mib = (f: string) => (statSync(f).size / 1024 / 1024).toFixed(0);
    console.log(`wrote ${EVENTS.toLocaleString('en-US')} events, ${mib(log)} MiB, in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    const gz = `${log}.gz`;
    start = performance.now();
    await pipeline(createReadStream(log), createGzip({ level: 6 }), createWriteStream(gz));
    console.log(`gzipped to ${mib(gz)} MiB in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    const rows: [string, ReturnType<typeof measure>][] = [
      ['floor: read lines + JSON.parse', measure('parse', log)],
      ['generate rbac (plain)', measure('generate', log)],
      ['generate rbac (gzip)', measure('generate', gz)],
    ];
    const floor = rows[0]![1].ms;
    for (const [label, m] of rows) {
      const perSec = Math.round(EVENTS / (m.ms / 1000)).toLocaleString('en-US');
      console.log(`${label.padEnd(32)} ${(m.ms / 1000).toFixed(1).padStart(6)} s  ${perSec.padStart(10)} events/s  ${(m.ms / floor).toFixed(2)}× floor  peak RSS ${m.maxRssMiB} MiB${m.policies !== undefined ? `  (${m.policies} subjects, ${m.requests} requests)` : ''}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
