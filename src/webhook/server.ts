// The admission server: HTTPS only (TLS 1.2+), `POST /validate` for AdmissionReviews and
// `GET /healthz` for probes. Bodies are bounded and slow clients are cut off, so one bad caller
// cannot hang the server for the API server's other requests. Request bodies are never logged:
// a misconfigured webhook could be sent Secrets.

import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DecideOptions, RequestExemptions, WebhookMode } from './decide.js';
import { JudgePool } from './pool.js';

export { decide, type WebhookMode } from './decide.js';

/**
 * The API server refuses request bodies over 3 MiB (k8s.io/apiserver pkg/server/config.go,
 * MaxRequestBodyBytes: 3 * 1024 * 1024). An UPDATE's AdmissionReview carries the new object and
 * the old one, each up to that size, so twice that bounds every legitimate review.
 */
const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface WebhookOptions extends DecideOptions {
  mode: WebhookMode;
  exemptions?: RequestExemptions;
  /** Judging threads (default 2): a request is judged off the event loop, so the server keeps answering. */
  workers?: number;
  /** Longest one judgement may take (ms, default 3000: the API server waits timeoutSeconds, 5 in deploy/). */
  judgeDeadlineMs?: number;
  /** Requests waiting for a judging thread before new ones are answered 503 (default 200). */
  maxQueue?: number;
  /** Heap of each judging thread, MiB (default 256). */
  workerHeapMb?: number;
  /** The judging thread's module; for tests only (a stand-in that fails). */
  judgeScript?: URL;
  cert: string | Buffer;
  key: string | Buffer;
  port?: number;
  host?: string;
  maxBodyBytes?: number;
  /** Time allowed for a client to send its headers, and its whole request (ms). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * Re-read the certificate and key files this often and serve the new pair when they change,
   * so a renewed certificate is picked up without a restart. A pair that does not load is
   * logged and the current one kept.
   */
  reloadTls?: { certFile: string; keyFile: string; everyMs: number };
  /** One line per decision; stderr by default. */
  log?: (line: string) => void;
}

export interface RunningWebhook {
  port: number;
  close(): Promise<void>;
}

export async function startWebhook(options: WebhookOptions): Promise<RunningWebhook> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // The API server waits at most timeoutSeconds (≤ 30 s) for an answer; a client slower than
  // these bounds is not the API server, or is one whose request is already lost.
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const headersTimeout = Math.min(options.headersTimeoutMs ?? 5_000, requestTimeout);
  let pool!: JudgePool;
  const server = https.createServer(
    {
      cert: options.cert,
      key: options.key,
      minVersion: 'TLSv1.2',
      handshakeTimeout: headersTimeout,
      requestTimeout,
      headersTimeout,
      // Node checks the two timeouts above every 30 s by default: too coarse for a webhook.
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    (req, res) =>
      void handle(req, res, pool, maxBodyBytes, log).catch((err: unknown) => {
        // A bug must cost one request (answered 500, which the API server treats as a refusal
        // under failurePolicy: Fail), never the server that guards every other one.
        log(`kubeharden webhook: internal error: ${(err as Error)?.message ?? String(err)}`);
        reply(res, 500, { error: 'internal error in kubeharden webhook' });
      }),
  );
  // Created once the TLS pair has loaded (createServer throws on a bad one).
  pool = new JudgePool(judgeOptionsOf(options), {
    size: options.workers ?? 2,
    deadlineMs: options.judgeDeadlineMs ?? 3_000,
    maxQueue: options.maxQueue ?? 200,
    maxHeapMb: options.workerHeapMb ?? 256,
    script: options.judgeScript,
    log,
  });
  try {
    await pool.ready();
  } catch (err) {
    await pool.close();
    throw new Error(`the judging threads could not start: ${(err as Error).message}`);
  }
  // The socket of a client that stops sending altogether is closed too (requestTimeout only
  // answers once the next bytes arrive on some platforms).
  server.setTimeout(requestTimeout, (socket) => socket.destroy());
  server.on('tlsClientError', () => {
    /* a failed handshake is the client's problem; never crash on it */
  });
  const reload = options.reloadTls && watchTls(server, options.reloadTls, options.cert, options.key, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => {
      void pool.close();
      reject(err);
    });
    server.listen(options.port ?? 8443, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        if (reload) clearInterval(reload);
        server.close(() => void pool.close().then(() => resolve()));
        server.closeAllConnections();
      }),
  };
}

function watchTls(server: https.Server, files: NonNullable<WebhookOptions['reloadTls']>, cert: string | Buffer, key: string | Buffer, log: (line: string) => void): NodeJS.Timeout {
  const asBuffer = (pem: string | Buffer) => (typeof pem === 'string' ? Buffer.from(pem) : pem);
  let current = { cert: asBuffer(cert), key: asBuffer(key) };
  const timer = setInterval(() => {
    let next: { cert: Buffer; key: Buffer };
    try {
      next = { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
    } catch (err) {
      log(`kubeharden webhook: cannot re-read the TLS files, keeping the current certificate: ${(err as Error).message}`);
      return;
    }
    if (next.cert.equals(current.cert) && next.key.equals(current.key)) return;
    try {
      server.setSecureContext({ ...next, minVersion: 'TLSv1.2' });
      current = next;
      log(`kubeharden webhook: serving the renewed certificate from ${files.certFile}`);
    } catch (err) {
      // Mid-update (the certificate written, the key not yet): try again next round.
      log(`kubeharden webhook: the new TLS files do not load yet, keeping the current certificate: ${(err as Error).message}`);
    }
  }, files.everyMs);
  timer.unref();
  return timer;
}

async function handle(req: IncomingMessage, res: ServerResponse, pool: JudgePool, maxBodyBytes: number, log: (line: string) => void): Promise<void> {
  const url = (req.url ?? '').split('?')[0];
  if (url === '/healthz') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, { error: 'use GET /healthz' });
    return reply(res, 200, { status: 'ok' });
  }
  if (url !== '/validate') return reply(res, 404, { error: `no such path ${JSON.stringify(url)}: AdmissionReviews go to POST /validate` });
  if (req.method !== 'POST') return reply(res, 405, { error: 'AdmissionReviews are sent with POST /validate' });

  const body = await readBody(req, maxBodyBytes);
  if ('tooLarge' in body) {
    reply(res, 413, { error: `the request body is larger than ${maxBodyBytes} bytes` }, { connection: 'close' });
    // Stop reading the rest of an oversized body: close the connection once answered.
    res.on('finish', () => req.socket.destroy());
    return;
  }
  if ('failed' in body) return; // the client went away

  const answer = await pool.judge(body.text);
  if (answer.log) log(answer.log);
  reply(res, answer.status, answer.body);
}

/** The plain data the judging threads need (functions and certificates stay here). */
function judgeOptionsOf(options: WebhookOptions): DecideOptions {
  return {
    mode: options.mode,
    failOn: options.failOn,
    ...(options.exemptions ? { exemptions: options.exemptions } : {}),
    ...(options.exemptRuntimeClasses ? { exemptRuntimeClasses: options.exemptRuntimeClasses } : {}),
    ...(options.maxContainers !== undefined ? { maxContainers: options.maxContainers } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.disabled ? { disabled: [...options.disabled] } : {}),
    ...(options.enabled ? { enabled: [...options.enabled] } : {}),
    ...(options.severityOverrides ? { severityOverrides: options.severityOverrides } : {}),
    ...(options.exceptions ? { exceptions: options.exceptions } : {}),
    ...(options.frameworks ? { frameworks: options.frameworks } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
}

/**
 * Reads the body up to `max` bytes. Past that, the rest is read and dropped (a client still
 * writing would otherwise see its connection reset instead of the 413) — but only up to as much
 * again: a client that keeps sending is cut off.
 */
function readBody(req: IncomingMessage, max: number): Promise<{ text: string } | { tooLarge: true } | { failed: true }> {
  // A declared length up to twice the bound is read and dropped like a chunked one, so the
  // client, still writing, reads its 413 instead of a reset connection; beyond that it is cut off.
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > 2 * max) return Promise.resolve({ tooLarge: true });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: { text: string } | { tooLarge: true } | { failed: true }) => {
      if (!settled) resolve(outcome);
      settled = true;
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else if (size > 2 * max) {
        req.socket.destroy();
        settle({ failed: true });
      }
    });
    req.on('end', () => settle(size > max ? { tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => settle({ failed: true }));
    req.on('close', () => settle({ failed: true }));
  });
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
