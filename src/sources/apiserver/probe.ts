// Probes an API server from the outside, as an attacker on the network would: what it answers
// without credentials, which TLS versions and cipher suites it accepts, and its certificate.
// It sends no credentials and only GET requests.

import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { inspectServerCertificate } from '../etcd/client.js';
import type { AnonymousAnswer, ApiServerProbeReport } from '../../inventory/probe-observations.js';

/** Paths whose anonymous answers tell how exposed the server is. */
const ANONYMOUS_PATHS = ['/version', '/healthz', '/api', '/apis', '/metrics'] as const;
const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
const PARALLEL_HANDSHAKES = 8;

export interface ApiServerProbeOptions {
  url: string;
  /** CA to verify the serving certificate against (default: not verified, only inspected). */
  ca?: Buffer;
  timeoutMs: number;
}

export async function probeApiServer(options: ApiServerProbeOptions): Promise<ApiServerProbeReport> {
  const url = new URL(options.url);
  if (url.protocol !== 'https:') throw new ProbeInputError(`${options.url}: the API server is probed over https://`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const report: ApiServerProbeReport = { url: url.origin, anonymous: [], tlsVersions: {}, cipherSuites: [] };
  try {
    report.certificate = await inspectServerCertificate({ url, ca: options.ca, verifyServer: false, timeoutMs: options.timeoutMs });
  } catch (err) {
    report.error = (err as Error).message;
    return report;
  }
  const handshake = (o: tls.ConnectionOptions) => tryHandshake({ host, port, servername: net.isIP(host) ? undefined : host, ...o }, options.timeoutMs);
  for (const version of TLS_VERSIONS) {
    // Old versions are only offered at OpenSSL security level 0; the server decides what it accepts.
    const outcome = await handshake({ minVersion: version, maxVersion: version, ...(version === 'TLSv1.3' ? {} : { ciphers: 'ALL:@SECLEVEL=0' }) });
    report.tlsVersions[version] = outcome.kind === 'error' ? undefined : outcome.kind === 'accepted';
  }
  const legacySuites = tls.getCiphers().filter((c) => !c.startsWith('tls_'));
  const accepted = await inBatches(legacySuites, PARALLEL_HANDSHAKES, async (suite) => {
    const outcome = await handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: `${suite.toUpperCase()}:@SECLEVEL=0` });
    return outcome.kind === 'accepted' ? outcome.cipher : undefined;
  });
  report.cipherSuites = [...new Set(accepted.filter((c): c is string => c !== undefined))].sort();
  for (const path of ANONYMOUS_PATHS) report.anonymous.push(await anonymousGet(url, path, options.timeoutMs));
  return report;
}

export class ProbeInputError extends Error {}

type Handshake = { kind: 'accepted'; cipher: string } | { kind: 'refused' } | { kind: 'error'; message: string };

function tryHandshake(options: tls.ConnectionOptions, timeoutMs: number): Promise<Handshake> {
  return new Promise((resolve) => {
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect({ ...options, rejectUnauthorized: false });
    } catch {
      return resolve({ kind: 'refused' }); // this OpenSSL cannot offer the suite at all
    }
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake within ${timeoutMs / 1000}s`)), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cipher = socket.getCipher();
      socket.destroy();
      resolve({ kind: 'accepted', cipher: cipher.standardName ?? cipher.name });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // A TLS alert or a reset during the handshake is the server saying no.
      const said = /SSL|TLS|ECONNRESET|EPIPE/.test(err.code ?? '') || /alert|handshake|protocol|socket disconnected/i.test(err.message);
      resolve(said ? { kind: 'refused' } : { kind: 'error', message: err.message });
    });
  });
}

function anonymousGet(base: URL, path: string, timeoutMs: number): Promise<AnonymousAnswer> {
  return new Promise((resolve) => {
    const url = new URL(path, base);
    const req = https.get(url, { rejectUnauthorized: false, headers: { Accept: 'application/json' }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ path, status: res.statusCode });
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      resolve({ path, error: err.message });
    });
  });
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}
