// A small read-only client for etcd's v3 HTTP/JSON gateway (POST /v3/kv/range), over HTTP or HTTPS
// with optional CA, client certificate and key. Every request is bounded by one deadline that covers
// connecting, the TLS handshake and the whole answer, so a server that accepts and never answers ends
// in a clear error, not a hang. It never writes.

import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { ServerCertificate } from '../../inventory/probe-observations.js';

export interface EtcdConnection {
  url: URL;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Verify the server certificate against `ca` (or the system CAs). */
  verifyServer: boolean;
  /** Deadline of one request, in milliseconds. */
  timeoutMs: number;
}

/** `denied`: etcd itself answered, with an error (its own authentication, a permission); `refused`: the connection was. */
export type EtcdErrorKind = 'unreachable' | 'timeout' | 'tls' | 'not-etcd' | 'refused' | 'denied';

export class EtcdError extends Error {
  constructor(
    readonly kind: EtcdErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The largest answer accepted; a range page is bounded by `limit`, so more means something is wrong. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export interface KeyValue {
  key: Buffer;
  value?: Buffer;
}

export interface RangePage {
  kvs: KeyValue[];
  more: boolean;
}

/** One POST to the JSON gateway; resolves with the parsed answer of an etcd server, or throws EtcdError. */
export function postJson(conn: EtcdConnection, path: string, body: unknown): Promise<Record<string, unknown>> {
  const where = conn.url.origin;
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const options: https.RequestOptions = {
      method: 'POST',
      host: hostOf(conn.url),
      port: conn.url.port || (conn.url.protocol === 'https:' ? 443 : 80),
      path,
      headers: { 'content-type': 'application/json', 'content-length': payload.length },
      agent: false,
    };
    if (conn.url.protocol === 'https:') {
      Object.assign(options, tlsOptions(conn));
    }
    const request = (conn.url.protocol === 'https:' ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) request.destroy(new EtcdError('not-etcd', `${where} sent more than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', (err) => finish(err));
      res.on('end', () => finish(undefined, res.statusCode ?? 0, Buffer.concat(chunks)));
    });
    const timer = setTimeout(
      () => request.destroy(new EtcdError('timeout', `${where} did not answer within ${conn.timeoutMs / 1000}s (connected: ${request.socket?.readyState === 'open' ? 'yes' : 'no'})`)),
      conn.timeoutMs,
    );
    let done = false;
    const finish = (err?: Error, status?: number, data?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) return reject(describeError(err, where));
      try {
        resolve(parseAnswer(status ?? 0, data ?? Buffer.alloc(0), where));
      } catch (e) {
        reject(e);
      }
    };
    request.on('error', (err) => finish(err));
    request.end(payload);
  });
}

function tlsOptions(conn: EtcdConnection): tls.ConnectionOptions {
  const host = hostOf(conn.url);
  return {
    ca: conn.ca,
    cert: conn.cert,
    key: conn.key,
    rejectUnauthorized: conn.verifyServer,
    // SNI only for names; Node refuses an IP address as servername.
    servername: net.isIP(host) ? undefined : host,
  };
}

/** URL hostnames keep IPv6 brackets; sockets want the bare address. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function parseAnswer(status: number, data: Buffer, where: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    const text = data.subarray(0, 120).toString('utf8').replace(/\s+/g, ' ').trim();
    if (/HTTP request to an HTTPS server/i.test(text)) throw new EtcdError('refused', `${where} requires TLS (it answered a plain HTTP request with: ${text})`);
    throw new EtcdError('not-etcd', `${where} answered HTTP ${status} but not with etcd's JSON gateway${text ? ` (it said: ${text})` : ''}`);
  }
  const answer = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (status !== 200) {
    const message = typeof answer.message === 'string' ? answer.message : typeof answer.error === 'string' ? answer.error : undefined;
    if (message) throw new EtcdError('denied', `${where} answered with an error: ${message}`);
    throw new EtcdError('not-etcd', `${where} answered HTTP ${status} but not as etcd`);
  }
  const header = answer.header as Record<string, unknown> | undefined;
  if (typeof header !== 'object' || header === null || header.cluster_id === undefined) {
    throw new EtcdError('not-etcd', `${where} answered HTTP 200 but not as etcd v3 (no header.cluster_id in the answer)`);
  }
  return answer;
}

function describeError(err: Error, where: string): EtcdError {
  if (err instanceof EtcdError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNREFUSED') return new EtcdError('unreachable', `${where}: connection refused (nothing listens there)`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new EtcdError('unreachable', `${where}: host name does not resolve`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new EtcdError('unreachable', `${where}: host unreachable`);
  if (code.startsWith('HPE_')) return new EtcdError('not-etcd', `${where} does not speak HTTP (${err.message}); is this the etcd client port, and is the scheme right?`);
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /certificate|self[- ]signed|unable to verify|alert/i.test(err.message) || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code.startsWith('UNABLE_TO') || code === 'CERT_HAS_EXPIRED') {
    return new EtcdError('tls', `${where}: TLS failed: ${err.message}`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/.test(err.message)) {
    return new EtcdError('refused', `${where} closed the connection (${err.message})`);
  }
  return new EtcdError('unreachable', `${where}: ${err.message}`);
}

const b64 = (b: Buffer) => b.toString('base64');

/** The smallest key greater than every key starting with `prefix` (etcd's prefix range end). */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** One page of keys (and values unless keysOnly) from `from` up to the end of `prefix`. */
async function rangePage(conn: EtcdConnection, from: Buffer, prefix: Buffer, limit: number, keysOnly: boolean): Promise<RangePage> {
  const answer = await postJson(conn, '/v3/kv/range', {
    key: b64(from),
    range_end: b64(prefixRangeEnd(prefix)),
    limit,
    keys_only: keysOnly,
  });
  const kvs = Array.isArray(answer.kvs) ? answer.kvs : [];
  return {
    kvs: kvs.map((kv: Record<string, unknown>) => ({
      key: Buffer.from(String(kv.key ?? ''), 'base64'),
      value: typeof kv.value === 'string' ? Buffer.from(kv.value, 'base64') : keysOnly ? undefined : Buffer.alloc(0),
    })),
    more: answer.more === true,
  };
}

/** Every key under a prefix, page by page; each page is handed over and then dropped, so memory stays flat. */
export async function forEachUnderPrefix(
  conn: EtcdConnection,
  prefix: string,
  options: { pageSize: number; keysOnly: boolean },
  visit: (kv: KeyValue) => void | Promise<void>,
): Promise<void> {
  const prefixBytes = Buffer.from(prefix);
  let from = prefixBytes;
  for (;;) {
    const page = await rangePage(conn, from, prefixBytes, options.pageSize, options.keysOnly);
    for (const kv of page.kvs) await visit(kv);
    const last = page.kvs.at(-1);
    if (!page.more || !last) return;
    from = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

/** Completes a TLS handshake (without a client certificate) only to read the server's certificate. */
export function inspectServerCertificate(conn: EtcdConnection): Promise<ServerCertificate> {
  const where = conn.url.origin;
  const host = hostOf(conn.url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port: Number(conn.url.port || 443),
      ca: conn.ca,
      rejectUnauthorized: false,
      servername: net.isIP(host) ? undefined : host,
    });
    const timer = setTimeout(() => socket.destroy(new EtcdError('timeout', `${where}: no TLS handshake within ${conn.timeoutMs / 1000}s`)), conn.timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      const { authorized, authorizationError } = socket;
      socket.destroy();
      if (!cert || !cert.valid_to) return reject(new EtcdError('tls', `${where} sent no server certificate`));
      resolve({
        subject: [cert.subject?.CN ?? ''].flat().join(', '),
        subjectAltNames: cert.subjectaltname ?? '',
        validFrom: new Date(cert.valid_from),
        validTo: new Date(cert.valid_to),
        trusted: authorized,
        trustError: authorizationError ? String(authorizationError) : undefined,
        hostnameError: tls.checkServerIdentity(host, cert)?.message,
      });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(describeError(err, where));
    });
  });
}
