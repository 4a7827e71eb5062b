// The live-scan benchmark against a real control plane: kube-apiserver and etcd built from
// their Go modules (scripts/control-plane.mjs), loaded with the benchmark cluster of
// bench/cluster.ts (the corpus cluster copied until it holds N objects), every object created
// through the API server and stored in etcd; then `bench/cluster.js read` lists and checks it as
// `kubeharden scan --cluster` does, in its own process, so the figures are the scanner's alone
// (the API server and etcd run in theirs). Benchmarks are not tests: nothing here asserts.
//
//   npm run build && node dist/bench/real-cluster.js --objects 50000
//   node dist/bench/real-cluster.js --objects 50000 --dir /tmp/kh-50k --keep   # keep it running
//   node dist/bench/real-cluster.js --dir /tmp/kh-50k --reuse                  # measure again, no load
//
// Needs the control plane built once (`node scripts/control-plane.mjs build`, Go 1.26+).
// The API server runs without the ServiceAccount admission plugin: no controller manager
// creates the `default` ServiceAccounts that Pods would otherwise need to exist. Objects the
// API server refuses (a real-world manifest it does not accept as it is) are counted and named.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaledCluster } from './scaled-cluster.js';
import { CLUSTER_RESOURCES, apiVersionOf } from '../src/sources/cluster/resources.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONTROL_PLANE = path.join(ROOT, 'scripts', 'control-plane.mjs');
const READER = path.join(ROOT, 'dist', 'bench', 'cluster.js');
const CONCURRENCY = 24;
const ADMISSION_KINDS = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding']);

const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const flag = (name: string) => process.argv.includes(name);

interface Env {
  server: string;
  kubeconfig: string;
  pki: string;
}

function controlPlane(args: string[]): void {
  const run = spawnSync(process.execPath, [CONTROL_PLANE, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`control-plane.mjs ${args[0]} failed (${run.status})`);
}

/** POSTs objects through the API server with a few requests in flight; returns how many are stored and why others are not. */
async function load(env: Env, objects: Record<string, any>[]): Promise<{ stored: number; refused: Map<string, { count: number; first: string }> }> {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: CONCURRENCY,
    ca: readFileSync(path.join(env.pki, 'ca.crt')),
    cert: readFileSync(path.join(env.pki, 'admin.crt')),
    key: readFileSync(path.join(env.pki, 'admin.key')),
  });
  const url = new URL(env.server);
  const post = (pathname: string, body: unknown) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const data = Buffer.from(JSON.stringify(body));
      const req = https.request({ host: url.hostname, port: url.port, path: pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(data);
    });
  const refused = new Map<string, { count: number; first: string }>();
  let stored = 0;
  const create = async (obj: Record<string, any>) => {
    const resource = CLUSTER_RESOURCES.find((r) => r.kind === obj.kind && apiVersionOf(r) === obj.apiVersion);
    if (!resource) return;
    const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
    const pathname = resource.namespaced ? `${base}/namespaces/${encodeURIComponent(obj.metadata.namespace)}/${resource.plural}` : `${base}/${resource.plural}`;
    // What a client sends: no status, no server-set metadata.
    const { status: _status, ...body } = obj;
    body.metadata = { ...obj.metadata };
    for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink']) delete body.metadata[field];
    const answer = await post(pathname, body);
    if (answer.status === 201 || answer.status === 409) {
      stored++;
      return;
    }
    let message = answer.text;
    try {
      message = String(JSON.parse(answer.text).message);
    } catch {
      // not a Status: keep the text
    }
    const entry = refused.get(obj.kind) ?? { count: 0, first: `${answer.status} ${message.slice(0, 200)}` };
    entry.count++;
    refused.set(obj.kind, entry);
  };
  const inPool = async (items: Record<string, any>[]) => {
    let next = 0;
    let done = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < items.length) {
          await create(items[next++]!);
          if (++done % 5000 === 0) process.stderr.write(`  ${done} of ${items.length} created (${Math.round(done / ((Date.now() - started) / 1000))}/s)\n`);
        }
      }),
    );
  };
  // Namespaces first: every namespace an object names, whether or not the corpus holds its Namespace.
  const namespaces = new Set<string>();
  for (const o of objects) if (typeof o.metadata?.namespace === 'string') namespaces.add(o.metadata.namespace);
  const listed = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name as string));
  await inPool([...namespaces].filter((n) => !listed.has(n)).map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
  const extraNamespaces = stored;
  stored = 0;
  await inPool(objects.filter((o) => o.kind === 'Namespace'));
  // Admission webhooks and policies last: created earlier, the API server would call the
  // corpus's webhooks (which point at Services with no pods) on every later create.
  const admission = (o: Record<string, any>) => ADMISSION_KINDS.has(o.kind as string);
  await inPool(objects.filter((o) => o.kind !== 'Namespace' && !admission(o)));
  await inPool(objects.filter(admission));
  agent.destroy();
  process.stderr.write(`  ${extraNamespaces} namespaces the corpus names but does not hold were created besides\n`);
  return { stored: stored + extraNamespaces, refused };
}

async function main(): Promise<void> {
  const objects = Number(option('--objects', '50000'));
  const dir = option('--dir', '') || mkdtempSync(path.join(os.tmpdir(), 'kh-real-cluster-'));
  const reuse = flag('--reuse');
  const pageSize = option('--page-size', '500');
  controlPlane(['up', '--dir', dir, '--', '--disable-admission-plugins=ServiceAccount']);
  const env = JSON.parse(readFileSync(path.join(dir, 'env.json'), 'utf8')) as Env;
  const loadedMarker = path.join(dir, 'bench-loaded.json');
  try {
    if (!reuse || !existsSync(loadedMarker)) {
      const cluster = await scaledCluster(objects);
      process.stderr.write(`creating ${cluster.length} objects through ${env.server} …\n`);
      const started = Date.now();
      const { stored, refused } = await load(env, cluster);
      const seconds = (Date.now() - started) / 1000;
      process.stderr.write(`stored ${stored} objects in ${seconds.toFixed(0)} s (${Math.round(stored / seconds)}/s)\n`);
      for (const [kind, r] of refused) process.stderr.write(`  refused: ${r.count} ${kind}, first: ${r.first}\n`);
      writeFileSync(loadedMarker, JSON.stringify({ asked: cluster.length, stored, refused: Object.fromEntries(refused) }, null, 2));
    }
    const loaded = JSON.parse(readFileSync(loadedMarker, 'utf8')) as { stored: number };
    const run = spawnSync(process.execPath, [READER, 'read', env.kubeconfig, pageSize], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`read failed: ${run.stderr}`);
    const m = JSON.parse(run.stdout.trim().split('\n').pop()!);
    const rows = [
      ['objects stored', 'objects read', 'page size', 'read', 'checks', 'read+checks (CPU)', 'findings', 'peak RSS read', 'peak RSS read+scan', 'load'],
      [
        String(loaded.stored),
        String(m.objects),
        pageSize,
        `${(m.readMs / 1000).toFixed(2)} s`,
        `${(m.scanMs / 1000).toFixed(2)} s`,
        `${(m.totalMs / 1000).toFixed(2)} s (${(m.cpuMs / 1000).toFixed(2)} s)`,
        String(m.findings),
        `${m.peakRssReadMiB.toFixed(0)} MiB`,
        `${m.maxRssMiB.toFixed(0)} MiB`,
        os.loadavg()[0]!.toFixed(1),
      ],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    console.log(`kube-apiserver ${JSON.parse(readFileSync(path.join(dir, 'env.json'), 'utf8')).version} with etcd, ${dir}`);
    for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  } finally {
    if (!flag('--keep')) controlPlane(['down', '--dir', dir]);
  }
}

await main();
