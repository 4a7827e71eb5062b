// The admission server: HTTPS only (TLS 1.2+), `POST /validate` for AdmissionReviews and
// `GET /healthz` for probes. Bodies are bounded and slow clients are cut off, so one bad caller
// cannot hang the server for the API server's other requests. Request bodies are never logged:
// a misconfigured webhook could be sent Secrets.

import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMapping } from '../inventory/model.js';
import { judgeObject, type JudgeOptions } from './judge.js';
import { BadReview, boundedList, boundedWarnings, findingLine, readReview, reviewResponse, type AdmissionRequest, type AdmissionVerdict } from './review.js';

/**
 * The API server refuses request bodies over 3 MiB (k8s.io/apiserver pkg/server/config.go,
 * MaxRequestBodyBytes: 3 * 1024 * 1024). An UPDATE's AdmissionReview carries the new object and
 * the old one, each up to that size, so twice that bounds every legitimate review.
 */
const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;

export type WebhookMode = 'deny' | 'warn';

export interface WebhookOptions extends JudgeOptions {
  mode: WebhookMode;
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
      void handle(req, res, options, maxBodyBytes, log).catch((err: unknown) => {
        // A bug must cost one request, never the server that guards every other one.
        log(`kubeharden webhook: internal error: ${(err as Error)?.message ?? String(err)}`);
        reply(res, 500, { error: 'internal error in kubeharden webhook' });
      }),
  );
  // The socket of a client that stops sending altogether is closed too (requestTimeout only
  // answers once the next bytes arrive on some platforms).
  server.setTimeout(requestTimeout, (socket) => socket.destroy());
  server.on('tlsClientError', () => {
    /* a failed handshake is the client's problem; never crash on it */
  });
  const reload = options.reloadTls && watchTls(server, options.reloadTls, options.cert, options.key, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
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
        server.close(() => resolve());
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

async function handle(req: IncomingMessage, res: ServerResponse, options: WebhookOptions, maxBodyBytes: number, log: (line: string) => void): Promise<void> {
  const url = (req.url ?? '').split('?')[0];
  if (url === '/healthz') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, { error: 'use GET /healthz' });
    return reply(res, 200, { status: 'ok' });
  }
  if (url !== '/validate') return reply(res, 404, { error: `no such path ${JSON.stringify(url)}: AdmissionReviews go to POST /validate` });
  if (req.method !== 'POST') return reply(res, 405, { error: 'AdmissionReviews are sent with POST /validate' });

  const body = await readBody(req, maxBodyBytes);
  if ('tooLarge' in body) {
    reply(res, 413, { error: `the request body is larger than ${maxBodyBytes} bytes` });
    // Stop reading the rest of an oversized body: close the connection once answered.
    res.on('finish', () => req.socket.destroy());
    return;
  }
  if ('failed' in body) return; // the client went away

  let request: AdmissionRequest;
  try {
    request = readReview(body.text);
  } catch (err) {
    if (!(err instanceof BadReview)) throw err;
    return reply(res, 400, { error: `not a valid AdmissionReview: ${err.message}` });
  }
  const decision = decide(request, options);
  if ('badRequest' in decision) return reply(res, 400, { error: decision.badRequest });
  log(
    `kubeharden webhook: ${request.operation} ${request.kind || '(unknown kind)'} ${request.namespace ? request.namespace + '/' : ''}${request.name ?? '(unnamed)'}` +
      ` allowed=${decision.verdict.allowed} findings=${decision.findings}${decision.evaluated ? '' : ' (not evaluated)'}${request.dryRun ? ' dryRun' : ''}`,
  );
  reply(res, 200, reviewResponse(request.uid, decision.verdict));
}

type Decision = { verdict: AdmissionVerdict; findings: number; evaluated: boolean } | { badRequest: string };

/**
 * Judges one request. A dryRun request is judged like any other: the answer tells the client
 * what a real request would meet.
 */
export function decide(request: AdmissionRequest, options: Pick<WebhookOptions, 'mode'> & JudgeOptions): Decision {
  // DELETE removes a workload, it cannot make one less safe; CONNECT (exec, attach) carries no object.
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return { verdict: { allowed: true }, findings: 0, evaluated: false };
  // The API server always sends the object of a CREATE or UPDATE: a review without one was not
  // sent by an API server.
  if (!isMapping(request.object)) return { badRequest: `not a valid AdmissionReview: request.object of a ${request.operation} must be a JSON object` };
  const judgement = judgeObject(request.object, request.namespace, options);
  if (!judgement.evaluated) return { verdict: { allowed: true }, findings: 0, evaluated: false };
  const lines = judgement.blocking.map(findingLine);
  // An object whose fields have the wrong shape, so its pod checks could not run: the API server
  // has already validated the schema of built-in kinds, so this is a custom resource with a loose
  // schema. A scan exits 2 on it, not 0; allowing it would let a malformed sibling field hide a
  // pod template from every check. It is refused (deny mode) or warned about, like a finding.
  const problems = judgement.problems.map((p) => `kubeharden could not evaluate it: ${p}`);
  const all = [...problems, ...lines];
  if (all.length === 0) return { verdict: { allowed: true }, findings: 0, evaluated: true };
  const what = request.namespace ? `${request.kind} ${request.namespace}/${request.name ?? ''}` : `${request.kind} ${request.name ?? ''}`;
  const heading =
    `kubeharden ${options.mode === 'deny' ? 'denied' : 'warns about'} ${what.trim()}: ` +
    (lines.length ? `${lines.length} finding(s) at or above ${options.failOn}` : 'it could not be evaluated') +
    ' (fix them, or add an exception with a reason: kubeharden.io/ignore annotation or the config)';
  if (options.mode === 'warn') return { verdict: { allowed: true, warnings: boundedWarnings(all) }, findings: lines.length, evaluated: true };
  return { verdict: { allowed: false, message: boundedList(heading, all) }, findings: lines.length, evaluated: true };
}

/**
 * Reads the body up to `max` bytes. Past that, the rest is read and dropped (a client still
 * writing would otherwise see its connection reset instead of the 413) — but only up to as much
 * again: a client that keeps sending is cut off.
 */
function readBody(req: IncomingMessage, max: number): Promise<{ text: string } | { tooLarge: true } | { failed: true }> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve({ tooLarge: true });
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

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
