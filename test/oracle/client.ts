// A small HTTPS client for the oracle tests: JSON requests to the real kube-apiserver with the
// admin client certificate (system:masters), kept-alive sockets and a bounded number in flight, so
// thousands of SubjectAccessReviews or dry-run creates finish in seconds.

import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ApiResponse {
  status: number;
  body: any;
  /** Warning headers (PodSecurity warns through them). */
  warnings: string[];
}

export class ApiClient {
  private readonly agent: https.Agent;
  private readonly url: URL;

  /** `identity`: the client certificate in PKI to present (admin = system:masters; front-proxy-client = an authenticating proxy). */
  constructor(server: string, pki: string, sockets = 16, identity = 'admin') {
    this.url = new URL(server);
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: sockets,
      ca: readFileSync(path.join(pki, 'ca.crt')),
      cert: readFileSync(path.join(pki, `${identity}.crt`)),
      key: readFileSync(path.join(pki, `${identity}.key`)),
    });
  }

  request(method: string, urlPath: string, body?: unknown, headers: Record<string, string | string[]> = {}): Promise<ApiResponse> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path: urlPath,
          agent: this.agent,
          headers: { accept: 'application/json', ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // non-JSON answers (e.g. /healthz) stay text
            }
            const raw = res.headers.warning;
            const warnings = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
            resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  }

  /** Like request, but throws with the server's message unless the status is 2xx (or in `ok`). */
  async must(method: string, urlPath: string, body?: unknown, ok: number[] = []): Promise<ApiResponse> {
    const res = await this.request(method, urlPath, body);
    if ((res.status < 200 || res.status > 299) && !ok.includes(res.status)) {
      throw new Error(`${method} ${urlPath}: HTTP ${res.status}: ${typeof res.body === 'object' ? res.body?.message : res.body}`);
    }
    return res;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A small seeded PRNG (mulberry32), so the generated requests are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** The REST path of a kind's collection (built-in kinds the oracles create). */
export function collectionPath(apiVersion: string, plural: string, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
}
