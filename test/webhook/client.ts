// A real HTTPS client for the webhook tests: AdmissionReviews as the API server sends them.

import https from 'node:https';

export interface Reply {
  status: number;
  body: any;
}

/** Sends a request to the webhook on a new connection, trusting only the test CA. */
export function send(port: number, ca: Buffer, options: { method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string>; headersOnly?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port, agent: false, method: options.method ?? 'POST', path: options.path ?? '/validate', ca, headers: { 'content-type': 'application/json', ...options.headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          if (options.headersOnly) req.destroy();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* left as text */
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    // headersOnly: announce a body and never send it (the answer must come from the headers).
    if (options.headersOnly) req.flushHeaders();
    else req.end(options.body);
  });
}

let uids = 0;

/** An AdmissionReview v1 for an object, as the API server builds it. */
export function review(object: Record<string, any> | undefined, request: Record<string, unknown> = {}): Record<string, any> {
  const meta = object?.metadata ?? {};
  const [group, version] = String(object?.apiVersion ?? 'v1').includes('/') ? String(object!.apiVersion).split('/') : ['', String(object?.apiVersion ?? 'v1')];
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `uid-${++uids}`,
      kind: { group, version, kind: object?.kind ?? 'Pod' },
      resource: { group, version, resource: String(object?.kind ?? 'Pod').toLowerCase() + 's' },
      operation: 'CREATE',
      namespace: meta.namespace,
      name: meta.name,
      userInfo: { username: 'test' },
      object,
      dryRun: false,
      ...request,
    },
  };
}
