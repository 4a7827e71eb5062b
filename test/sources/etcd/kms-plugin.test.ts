// The KMS v2 plugin client (src/sources/etcd/kms-plugin.ts): against the real test plugin built
// with k8s.io/kms (its Status and Decrypt over gRPC on a unix socket), and against stand-ins for
// the faults a real plugin does not produce on demand (no server, an HTTP server that is not gRPC,
// an answer without grpc-status, an endless answer, one that never comes): each a KmsPluginError
// naming the socket, in bounded time.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { connectKmsPlugin, KmsPluginError, socketOfEndpoint } from '../../../src/sources/etcd/kms-plugin.js';
import { kmsPlugin, kmsPluginUnavailable, startKmsPlugin } from '../../oracle/kms-plugin-build.js';

const isPluginError = (pattern: RegExp) => (err: unknown) => err instanceof KmsPluginError && pattern.test(err.message);

test('KMS endpoints: unix:///path, unix:///@abstract; anything else is refused', () => {
  assert.equal(socketOfEndpoint('unix:///run/kms/plugin.sock'), '/run/kms/plugin.sock');
  assert.equal(socketOfEndpoint('unix:///@kms'), '\0kms');
  assert.throws(() => socketOfEndpoint('tcp://10.0.0.1:443'), KmsPluginError);
  assert.throws(() => socketOfEndpoint('unix://relative.sock'), KmsPluginError);
});

describe('against the real KMS v2 test plugin (k8s.io/kms v0.37.2)', { skip: kmsPluginUnavailable() }, () => {
  let dir: string;
  let plugin: ChildProcess;
  let socket: string;
  const kek = randomBytes(32);
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kh-kms-client-'));
    const binary = kmsPlugin();
    assert.ok(binary, 'the KMS plugin is built');
    ({ process: plugin, socket } = await startKmsPlugin(binary, dir, kek, 'client-test-key'));
  });
  after(() => {
    plugin?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('Status and Decrypt', async () => {
    const client = connectKmsPlugin(socket, 5_000);
    try {
      assert.deepEqual(await client.status(), { version: 'v2', healthz: 'ok', keyId: 'client-test-key' });
      // Wrapped as the plugin wraps (nonce + AES-256-GCM under its key).
      const seed = randomBytes(32);
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', kek, nonce);
      const wrapped = Buffer.concat([nonce, c.update(seed), c.final(), c.getAuthTag()]);
      assert.deepEqual(await client.decrypt({ ciphertext: wrapped, keyId: 'client-test-key', annotations: new Map([['a.example.com', Buffer.from('x')]]) }), seed);
      // The plugin's own refusal comes back as its gRPC status and message.
      await assert.rejects(client.decrypt({ ciphertext: wrapped, keyId: 'another-key', annotations: new Map() }), isPluginError(/Decrypt failed: gRPC status \d+: .*unknown key id another-key/));
      await assert.rejects(client.decrypt({ ciphertext: randomBytes(40), keyId: 'client-test-key', annotations: new Map() }), isPluginError(/Decrypt failed: gRPC status/));
    } finally {
      client.close();
    }
  });
});

describe('faults a real plugin does not produce on demand (stand-ins)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kh-kms-faults-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function serve(name: string, handler: (stream: http2.ServerHttp2Stream) => void): Promise<{ socket: string; close: () => void }> {
    const socket = path.join(dir, name);
    const server = http2.createServer();
    server.on('stream', handler);
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    return { socket, close: () => server.close() };
  }

  test('nothing at the socket', async () => {
    const client = connectKmsPlugin(path.join(dir, 'absent.sock'), 2_000);
    await assert.rejects(client.status(), isPluginError(/absent\.sock: Status failed: cannot connect \(ENOENT\)/));
    client.close();
  });

  const cases: [string, (s: http2.ServerHttp2Stream) => void, RegExp][] = [
    ['an HTTP/2 server that is not gRPC', (s) => s.respond({ ':status': 404 }, { endStream: true }), /HTTP status 404/],
    ['an answer without grpc-status', (s) => (s.respond({ ':status': 200, 'content-type': 'application/grpc' }), s.end(Buffer.from([0, 0, 0, 0, 0]))), /no grpc-status/],
    ['a message that is not one gRPC frame', (s) => (s.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true }), s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' })), s.end(Buffer.from([0, 0, 0, 0, 9, 1]))), /not exactly one gRPC message/],
    ['an endless answer', (s) => {
      s.respond({ ':status': 200, 'content-type': 'application/grpc' });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => { while (!s.destroyed && s.write(chunk)); };
      s.on('drain', pump);
      pump();
    }, /larger than 1048576 bytes/],
    ['no answer at all', () => undefined, /no answer within 300 ms/],
  ];
  for (const [what, handler, reason] of cases) {
    test(what, async () => {
      const server = await serve(`${what.replace(/\W+/g, '-')}.sock`, handler);
      const client = connectKmsPlugin(server.socket, 300);
      try {
        await assert.rejects(client.decrypt({ ciphertext: Buffer.from('x'), keyId: 'k', annotations: new Map() }), isPluginError(reason));
      } finally {
        client.close();
        server.close();
      }
    });
  }
});
