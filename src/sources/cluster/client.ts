// GET requests to the API server with the credentials and TLS settings of the kubeconfig.
//
// The official client supplies the connection (CA, client certificate, bearer token, exec
// plugin, OIDC, proxy) through `applyToHTTPSOptions`; the request itself is made here because
// the scan needs what the generated API classes hide: the raw JSON exactly as the server sent
// it (their deserialiser drops unknown fields and turns timestamps into Dates, so findings
// would differ from a scan of the same objects as files), the `Accept` header that asks for
// metadata-only lists, and the Status objects and `Retry-After` of failed requests.

import http from 'node:http';
import https from 'node:https';
import { ClusterSourceError, type LoadedKubeConfig } from './kubeconfig.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const MAX_BODY_BYTES = 512 * 1024 * 1024;

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

export interface ApiClientOptions {
  /** Whole-request deadline, from sending to the last byte of the body. */
  requestTimeoutMs?: number;
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
  private agent: http.Agent | undefined;

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
  }

  /** Closes the connections kept for further requests. */
  close(): void {
    this.agent?.destroy();
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
    const options = await this.requestOptions(method, request.accept ?? 'application/json', request.contentType);
    const what = `${method} ${path}`;
    const { status, headers, body } = await this.send(url, options, what, request.body);
    if (status >= 200 && status < 300) return parseJson(body, what);
    throw this.errorFor(status, headers, body, what);
  }

  private async requestOptions(method: string, accept: string, contentType: string | undefined): Promise<https.RequestOptions> {
    const options: https.RequestOptions = { method, headers: { Accept: accept, ...(contentType ? { 'Content-Type': contentType } : {}) } };
    try {
      await this.config.kc.applyToHTTPSOptions(options);
    } catch (err) {
      const user = this.config.kc.getCurrentUser()?.name ?? '';
      throw new ClusterSourceError(`could not prepare the connection (credentials of user "${user}") for context "${this.config.context}": ${(err as Error).message}`);
    }
    // The client makes a new agent on every call; keeping the first one keeps its connections
    // (one TLS handshake per connection, not per page). Headers are still fresh each time, as an
    // exec plugin's or OIDC token may have been renewed.
    if (this.base.protocol === 'http:') delete options.agent;
    else if (!this.agent && options.agent instanceof http.Agent) {
      // Node reads keepAlive when a request finishes, so set after construction it takes effect.
      this.agent = Object.assign(options.agent, { keepAlive: true });
    }
    if (this.agent) options.agent = this.agent;
    return options;
  }

  private send(url: URL, options: https.RequestOptions, path: string, payload?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const request = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) req.destroy(new RequestFailed(`${path}: the answer is over ${MAX_BODY_BYTES / 1024 / 1024} MiB`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', (err) => fail(err));
      });
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err instanceof RequestFailed || err instanceof ClusterSourceError ? err : this.describeNetworkError(err, path));
      };
      const timer = setTimeout(() => {
        req.destroy(new RequestFailed(`${path}: no complete answer from ${this.config.server} within ${formatSeconds(this.timeoutMs)} (the server hung)`));
      }, this.timeoutMs);
      req.on('error', fail);
      req.end(payload);
    });
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
      const user = this.config.kc.getCurrentUser()?.name ?? '';
      return new ClusterSourceError(
        `${this.config.server} rejected the credentials of user "${user}" (401 Unauthorized): the token or client certificate is invalid or expired; log in again or refresh the kubeconfig`,
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

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
