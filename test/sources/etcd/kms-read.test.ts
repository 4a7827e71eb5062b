// The kms v2 read path of `etcd probe` (src/sources/etcd/kms-read.ts): DEK sources unwrapped once
// per distinct wrapped source (as the API server caches them), and staleness as envelope.go has
// it — a provider before this one writes, or the plugin's current key (Status) is not the key
// that wrapped the value. The plugin here is a stand-in on a unix socket, because the test plugin
// built with k8s.io/kms (used against the real API server in test/oracle/encryption.test.ts)
// decrypts only under its current key ID, so a rotated key cannot be produced with it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import type { Provider } from '../../../src/analysis/encryption/config.js';
import { hkdfSha256Expand } from '../../../src/analysis/encryption/kmsv2.js';
import { bytesField, lastBytesField, readFields, varintField } from '../../../src/analysis/encryption/protobuf-wire.js';
import { kmsReader } from '../../../src/sources/etcd/kms-read.js';

const KEK = randomBytes(32);

function gcm(key: Buffer, plaintext: Buffer, aad?: string): Buffer {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  if (aad !== undefined) c.setAAD(Buffer.from(aad));
  return Buffer.concat([nonce, c.update(plaintext), c.final(), c.getAuthTag()]);
}

/** A stored value as kube-apiserver v1.29+ writes it: HKDF seed, a random 32-byte info, AES-GCM with the etcd key as AAD. */
function storedValue(provider: string, keyId: string, wrappedSeed: Buffer, seed: Buffer, plaintext: Buffer, etcdKey: string): Buffer {
  const info = randomBytes(32);
  const data = Buffer.concat([info, gcm(hkdfSha256Expand(seed, info, 32), plaintext, etcdKey)]);
  const object = Buffer.concat([bytesField(1, data), bytesField(2, keyId), bytesField(3, wrappedSeed), varintField(5, 1)]);
  return Buffer.concat([Buffer.from(`k8s:enc:kms:v2:${provider}:`), object]);
}

const kms = (name: string, index: number, endpoint?: string): Provider => ({ type: 'kms', path: ['resources', 0, 'providers', index], keys: [], kms: { name, apiVersion: 'v2', ...(endpoint ? { endpoint } : {}) } });
const aescbc = (index: number): Provider => ({ type: 'aescbc', path: ['resources', 0, 'providers', index], keys: [{ name: 'k', secret: randomBytes(32), path: [0] }] });

describe('kms v2 reads through a plugin (stand-in)', () => {
  let dir: string;
  let socket: string;
  let server: http2.Http2Server;
  let currentKeyId = 'key-1';
  let decrypts = 0;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kh-kms-read-'));
    socket = path.join(dir, 'plugin.sock');
    server = http2.createServer();
    server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const request = Buffer.concat(chunks).subarray(5);
        let answer: Buffer;
        if (headers[':path'] === '/v2.KeyManagementService/Status') {
          answer = Buffer.concat([bytesField(1, 'v2'), bytesField(2, 'ok'), bytesField(3, currentKeyId)]);
        } else {
          decrypts++;
          const wrapped = lastBytesField(readFields(request)!, 1)!;
          const d = createDecipheriv('aes-256-gcm', KEK, wrapped.subarray(0, 12));
          d.setAuthTag(wrapped.subarray(wrapped.length - 16));
          try {
            answer = bytesField(1, Buffer.concat([d.update(wrapped.subarray(12, wrapped.length - 16)), d.final()]));
          } catch {
            stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '3', 'grpc-message': 'cannot%20unwrap' }, { endStream: true });
            return;
          }
        }
        const frame = Buffer.alloc(5);
        frame.writeUInt32BE(answer.length, 1);
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.concat([frame, answer]));
      });
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const seed = randomBytes(32);
  const wrapped = gcm(KEK, seed);
  const values = [1, 2, 3].map((i) => ({ key: `/registry/secrets/ns/s${i}`, plaintext: Buffer.from(`k8s\0secret ${i}`) }));
  const stored = values.map((v) => storedValue('vault', 'key-1', wrapped, seed, v.plaintext, v.key));

  test('each value opens; the wrapped seed is unwrapped once; current key and first provider: not stale', async () => {
    currentKeyId = 'key-1';
    decrypts = 0;
    const reader = kmsReader({ sockets: new Map([['vault', socket]]), useConfigEndpoints: false, timeoutMs: 5_000 });
    try {
      for (const [i, v] of values.entries()) {
        const read = await reader.read(stored[i]!, v.key, [kms('vault', 0)]);
        assert.ok(read?.ok, JSON.stringify(read));
        assert.deepEqual(read.plaintext, v.plaintext);
        assert.equal(read.stale, false);
        assert.equal(read.keyId, 'key-1');
      }
      assert.equal(decrypts, 1, 'one Decrypt call for one wrapped seed');
    } finally {
      reader.close();
    }
  });

  test('stale: the plugin now writes with another key; or a provider before it writes', async () => {
    currentKeyId = 'key-2';
    const rotated = kmsReader({ sockets: new Map([['vault', socket]]), useConfigEndpoints: false, timeoutMs: 5_000 });
    try {
      const read = await rotated.read(stored[0]!, values[0]!.key, [kms('vault', 0)]);
      assert.ok(read?.ok);
      assert.equal(read.stale, true);
    } finally {
      rotated.close();
    }
    currentKeyId = 'key-1';
    const second = kmsReader({ sockets: new Map(), useConfigEndpoints: true, timeoutMs: 5_000 });
    try {
      // The endpoint of the configuration, as --kms-plugin uses it.
      const read = await second.read(stored[0]!, values[0]!.key, [aescbc(0), kms('vault', 1, `unix://${socket}`)]);
      assert.ok(read?.ok);
      assert.equal(read.stale, true);
    } finally {
      second.close();
    }
  });

  test('unreadable with the reason; no plugin to call: left to the caller', async () => {
    const reader = kmsReader({ sockets: new Map([['vault', socket]]), useConfigEndpoints: false, timeoutMs: 5_000 });
    try {
      const foreign = storedValue('vault', 'key-1', gcm(randomBytes(32), seed), seed, values[0]!.plaintext, values[0]!.key);
      const read = await reader.read(foreign, values[0]!.key, [kms('vault', 0)]);
      assert.ok(read && !read.ok);
      assert.match(read.reason, /kms provider vault: KMS plugin at .*plugin\.sock: Decrypt failed: gRPC status 3: cannot unwrap/);
      const garbage = Buffer.concat([Buffer.from('k8s:enc:kms:v2:vault:'), Buffer.from([0xff, 0xff])]);
      const bad = await reader.read(garbage, values[0]!.key, [kms('vault', 0)]);
      assert.ok(bad && !bad.ok && /malformed protobuf/.test(bad.reason));
    } finally {
      reader.close();
    }
    const none = kmsReader({ sockets: new Map(), useConfigEndpoints: false, timeoutMs: 5_000 });
    assert.equal(await none.read(stored[0]!, values[0]!.key, [kms('vault', 0, `unix://${socket}`)]), undefined, 'without --kms-plugin the endpoint is not called');
    none.close();
  });
});
