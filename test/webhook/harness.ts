// The admission server of a test file over real HTTPS: certificates made by openssl before the
// file's tests, every server it started closed after them, each server's log lines kept.

import { before, after } from 'node:test';
import { readFileSync, rmSync } from 'node:fs';
import { makePki, type Pki } from '../sources/etcd/harness.js';
import { startWebhook, type RunningWebhook, type WebhookOptions } from '../../src/webhook/server.js';

export interface WebhookHarness {
  /** The certificates (made in the file's first `before`). */
  readonly pki: Pki;
  /** Every log line of every server started, in order. */
  readonly logs: string[];
  /** A server on a free loopback port, in deny mode failing on high, with these options over the harness's own. */
  start(options?: Partial<WebhookOptions>): Promise<RunningWebhook>;
}

/** Call at the top level of a test file, before its own hooks that start servers. */
export function webhookHarness(defaults: Partial<WebhookOptions> = {}): WebhookHarness {
  let pki: Pki | undefined;
  const servers: RunningWebhook[] = [];
  const logs: string[] = [];
  before(() => {
    pki = makePki();
  });
  after(async () => {
    for (const s of servers) await s.close();
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });
  const harness: WebhookHarness = {
    get pki(): Pki {
      if (!pki) throw new Error('the webhook harness makes its certificates in a before hook: use it inside tests and hooks');
      return pki;
    },
    logs,
    async start(options = {}) {
      const server = await startWebhook({
        cert: readFileSync(harness.pki.files.serverCert),
        key: readFileSync(harness.pki.files.serverKey),
        port: 0,
        host: '127.0.0.1',
        mode: 'deny',
        failOn: 'high',
        log: (line) => logs.push(line),
        ...defaults,
        ...options,
      });
      servers.push(server);
      return server;
    },
  };
  return harness;
}
