// Test harness: a real etcd (Debian package etcd-server) on loopback ports, with or without TLS and
// client-certificate auth (certificates made here with openssl), and the stored formats of Secrets
// as the API server writes them. Tests write into etcd through the v3 JSON gateway; the probe never does.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROTOBUF_MAGIC } from '../../../src/analysis/encryption/stored-object.js';

/**
 * Why the real-etcd tests cannot run here, or undefined when they can. With KUBEHARDEN_REQUIRE_ETCD=1
 * (CI, which installs etcd itself) a missing etcd is an error instead of a skip.
 */
export function etcdUnavailable(): string | undefined {
  const reason = missingTools();
  if (reason && process.env.KUBEHARDEN_REQUIRE_ETCD === '1') throw new Error(`KUBEHARDEN_REQUIRE_ETCD=1 but ${reason}`);
  return reason;
}

function missingTools(): string | undefined {
  const etcd = spawnSync('etcd', ['--version'], { encoding: 'utf8' });
  if (etcd.error || etcd.status !== 0) return 'etcd is not installed (Debian: apt-get install -y etcd-server etcd-client); real-etcd tests skipped';
  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (openssl.error || openssl.status !== 0) return 'openssl is not installed; TLS etcd tests skipped';
  return undefined;
}

/** Why the etcd-auth tests cannot run (no etcdctl); with KUBEHARDEN_REQUIRE_ETCD=1 an error instead. */
export function etcdctlUnavailable(): string | undefined {
  const run = spawnSync('etcdctl', ['version'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
  const reason = run.error || run.status !== 0 ? 'etcdctl is not installed (Debian: apt-get install -y etcd-client); etcd-auth test skipped' : undefined;
  if (reason && process.env.KUBEHARDEN_REQUIRE_ETCD === '1') throw new Error(`KUBEHARDEN_REQUIRE_ETCD=1 but ${reason}`);
  return reason;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Pki {
  dir: string;
  ca: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  files: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
}

function openssl(args: string[], cwd: string): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
}

/** A CA, a server certificate for IP 127.0.0.1 only (so "localhost" does not match), and a client certificate. */
export function makePki(): Pki {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-etcd-pki-'));
  const subj = (cn: string) => ['-subj', `/CN=${cn}`];
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '400', ...subj('kubeharden-test-etcd-ca')], dir);
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [['server', 'etcd-server'], ['client', 'kube-apiserver-etcd-client']] as const) {
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, ...subj(cn)], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '400', '-extfile', `${name}.ext`], dir);
  }
  const f = (n: string) => path.join(dir, n);
  return {
    dir,
    ca: readFileSync(f('ca.crt')),
    clientCert: readFileSync(f('client.crt')),
    clientKey: readFileSync(f('client.key')),
    files: { ca: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'), clientCert: f('client.crt'), clientKey: f('client.key') },
  };
}

export interface RunningEtcd {
  url: string;
  port: number;
  /** Writes a key through the gateway (the test's own write, never the probe's). */
  put(key: string, value: Buffer): Promise<void>;
  /** The store's revision: it grows with every write, so an unchanged revision proves nothing was written. */
  revision(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts etcd on free loopback ports with a temporary data dir; waits until it serves. */
export async function startEtcd(pki?: Pki, options: { clientCertAuth: boolean } = { clientCertAuth: true }): Promise<RunningEtcd> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kh-etcd-data-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const scheme = pki ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name', 'kh-test', '--data-dir', dataDir,
    '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `kh-test=${peer}`,
    ...(pki ? ['--cert-file', pki.files.serverCert, '--key-file', pki.files.serverKey] : []),
    ...(pki && options.clientCertAuth ? ['--client-cert-auth', '--trusted-ca-file', pki.files.ca] : []),
  ];
  const child = spawn('etcd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const tlsOptions = pki ? { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } : {};
  const post = (p: string, body: unknown) => gatewayPost(url, p, body, tlsOptions);
  const stop = () => stopProcess(child).finally(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    await waitUntilServing(child, () => post('/v3/kv/range', { key: Buffer.from('x').toString('base64') }), () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    port: clientPort,
    async put(key, value) {
      await post('/v3/kv/put', { key: Buffer.from(key).toString('base64'), value: value.toString('base64') });
    },
    async revision() {
      const answer = (await post('/v3/kv/range', { key: Buffer.from('x').toString('base64') })) as { header: { revision: string } };
      return answer.header.revision;
    },
    stop,
  };
}

async function waitUntilServing(child: ChildProcess, ping: () => Promise<unknown>, log: () => string): Promise<void> {
  // A readiness wait, not a timed assertion: etcd usually serves within a second.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`etcd exited with ${child.exitCode}: ${log()}`);
    try {
      await ping();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`etcd did not start serving: ${log()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function gatewayPost(base: string, p: string, body: unknown, tlsOptions: https.RequestOptions): Promise<unknown> {
  const url = new URL(p, base);
  const payload = JSON.stringify(body);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method: 'POST', agent: false, timeout: 2000, ...tlsOptions }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(data)) : reject(new Error(`${res.statusCode}: ${data}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

// --- The API server's plain storage format (spec/semantics.md 4.4) --------------------------------

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited protobuf field (wire type 2). */
function field(number: number, data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

/**
 * A Secret as the API server stores it without encryption: "k8s\0" + runtime.Unknown{typeMeta{apiVersion,
 * kind}, raw = v1.Secret{metadata{name(1), namespace(3)}, data(2) map entries {1 key, 2 value}, type(3)},
 * contentEncoding(3) "", contentType(4) ""}. Values are raw bytes, not base64.
 */
export function storedSecret(namespace: string, name: string, data: Record<string, string>): Buffer {
  const metadata = Buffer.concat([field(1, name), field(3, namespace)]);
  const entries = Object.entries(data).map(([k, v]) => field(2, Buffer.concat([field(1, k), field(2, Buffer.from(v))])));
  const secret = Buffer.concat([field(1, metadata), ...entries, field(3, 'Opaque')]);
  const unknown = Buffer.concat([field(1, Buffer.concat([field(1, 'v1'), field(2, 'Secret')])), field(2, secret), field(3, ''), field(4, '')]);
  return Buffer.concat([PROTOBUF_MAGIC, unknown]);
}
