// GET requests to the API server with the credentials and TLS settings of the kubeconfig.
//
// The official client supplies the connection (CA, client certificate, bearer token, exec
// plugin, OIDC, proxy) through `applyToHTTPSOptions`, in its own thread (connection-worker.ts),
// which sends the request; the request itself is ours, not the generated API's, because
// the scan needs what the generated API classes hide: the raw JSON exactly as the server sent
// it (their deserialiser drops unknown fields and turns timestamps into Dates, so findings
// would differ from a scan of the same objects as files), the `Accept` header that asks for
// metadata-only lists, and the Status objects and `Retry-After` of failed requests.

import http from 'node:http';
import type { ConnectionFailure } from './connection.js';
import { ClusterSourceError, type LoadedKubeConfig } from './kubeconfig.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/**
 * Largest answer read into memory. A list page of 500 objects is a few MiB; a server (or a
 * proxy) that ignores `limit` could send hundreds of MiB, which would be parsed into several
 * times as much heap. Past this, the page is asked for again in smaller pieces (list.ts).
 */
const DEFAULT_MAX_RESPONSE_BYTES = 96 * 1024 * 1024;

/** The API server answered with an error status (a Status object when it sent one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
    /** Seconds the server asked us to wait (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A request that failed without an answer we could use: timeout, a dropped connection, malformed JSON. */
export class RequestFailed extends Error {}

/** The answer was larger than the client reads (ApiClientOptions.maxResponseBytes). */
export class ResponseTooLarge extends RequestFailed {}

export interface ApiClientOptions {
  /** Whole-request deadline, from sending to the last byte of the body. */
  requestTimeoutMs?: number;
  /** Largest answer read (bytes). */
  maxResponseBytes?: number;
}

export interface ApiRequest {
  query?: Record<string, string | undefined>;
  accept?: string;
  body?: string;
  contentType?: string;
}

export class ApiClient {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(
    private readonly config: LoadedKubeConfig,
    options: ApiClientOptions = {},
  ) {
    try {
      this.base = new URL(config.server);
    } catch {
      throw new ClusterSourceError(`the server URL "${config.server}" of context "${config.context}" is not a URL`);
    }
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') {
      throw new ClusterSourceError(`the server URL "${config.server}" of context "${config.context}" is not http(s)`);
    }
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /** Closes the connections kept for further requests and stops the official client's thread. */
  close(): void {
    this.config.connection.close();
  }

  get server(): string {
    return this.config.server;
  }

  /** GETs a path and parses the JSON answer. Throws ApiError, RequestFailed, or ClusterSourceError when the cluster cannot be read at all. */
  async getJson(path: string, query: Record<string, string | undefined> = {}, accept = 'application/json'): Promise<unknown> {
    return this.requestJson('GET', path, { query, accept });
  }

  /**
   * Any request with a JSON answer: the writes of published results (server-side apply PATCH,
   * DELETE) go through the same connection, credentials and errors as the reads.
   */
  async requestJson(method: 'GET' | 'PATCH' | 'DELETE', path: string, request: ApiRequest = {}): Promise<unknown> {
    const url = new URL(this.base.href);
    url.pathname = url.pathname.replace(/\/$/, '') + path;
    for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const what = `${method} ${path}`;
    const { status, headers, body } = await this.send(url, method, request.accept ?? 'application/json', request.contentType, what, request.body);
    if (status >= 300 && status < 400) {
      // Never followed: a redirect would carry the credentials (a bearer token) to another address.
      throw new RequestFailed(`${what}: the server redirected (${status}) to ${JSON.stringify(String(headers.location ?? '').slice(0, 200))}; redirects are not followed, so credentials are never sent elsewhere`);
    }
    if (status >= 200 && status < 300) {
      const type = String(headers['content-type'] ?? '');
      // A proxy's login page or an HTML error page is not the API server's answer.
      if (type !== '' && !/^application\/(?:[\w.+-]*\+)?json\b/i.test(type)) {
        throw new RequestFailed(`${what}: the server answered ${JSON.stringify(type.slice(0, 100))}, not JSON (a proxy or a wrong server address?)`);
      }
      return parseJson(body, what);
    }
    throw this.errorFor(status, headers, body, what);
  }

  private async send(url: URL, method: string, accept: string, contentType: string | undefined, what: string, payload: string | undefined): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const headers: Record<string, string> = { Accept: accept, ...(contentType ? { 'Content-Type': contentType } : {}) };
    try {
      const answer = await this.config.connection.send({ url: url.href, method, headers, payload, timeoutMs: this.timeoutMs, maxResponseBytes: this.maxResponseBytes, what });
      return { status: answer.status, headers: answer.headers, body: Buffer.from(answer.body) };
    } catch (failure) {
      const { kind, message, code } = failure as ConnectionFailure['error'];
      if (kind === 'prepare') throw new ClusterSourceError(message);
      if (kind === 'too-large') throw new ResponseTooLarge(message);
      if (kind === 'failed') throw new RequestFailed(message);
      throw this.describeNetworkError(Object.assign(new Error(message), { code }), what);
    }
  }

  /** Connection and TLS failures mean the cluster cannot be read at all. */
  private describeNetworkError(err: Error, path: string): Error {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const server = this.config.server;
    if (TLS_TRUST_ERRORS.has(code)) {
      return new ClusterSourceError(
        `the certificate of ${server} is not trusted (${code}: ${err.message}); give the cluster's CA as certificate-authority(-data) in the kubeconfig`,
      );
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return new ClusterSourceError(`the certificate of ${server} does not name that host: ${err.message}`);
    if (code === 'ECONNREFUSED') return new ClusterSourceError(`cannot reach the API server at ${server}: connection refused`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ClusterSourceError(`cannot reach the API server at ${server}: the host name does not resolve`);
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return new ClusterSourceError(`cannot reach the API server at ${server}: ${code}`);
    return new RequestFailed(`${path}: ${err.message}${code ? ` (${code})` : ''}`);
  }

  private errorFor(status: number, headers: http.IncomingHttpHeaders, body: Buffer, path: string): Error {
    const statusObject = tryParseStatus(body);
    const detail = statusObject?.message ?? (body.length ? body.subarray(0, 200).toString('utf8').trim() : http.STATUS_CODES[status] ?? '');
    if (status === 401) {
      return new ClusterSourceError(
        `${this.config.server} rejected the credentials of user "${this.config.user}" (401 Unauthorized): the token or client certificate is invalid or expired; log in again or refresh the kubeconfig`,
      );
    }
    return new ApiError(status, `${path}: ${status} ${statusObject?.reason ?? http.STATUS_CODES[status] ?? ''}: ${detail}`, statusObject?.reason, retryAfter(headers['retry-after']));
  }
}

const TLS_TRUST_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

function parseJson(body: Buffer, path: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new RequestFailed(`${path}: the server's answer is not valid JSON (${(err as Error).message})`);
  }
}

function tryParseStatus(body: Buffer): { message?: string; reason?: string } | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (value?.kind !== 'Status') return undefined;
    return {
      message: typeof value.message === 'string' ? value.message : undefined,
      reason: typeof value.reason === 'string' ? value.reason : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
