// KMS v2 stored values: the EncryptedObject envelope and the two DEK source types, checked against
// RFC 5869's HKDF vector and against a value the real kube-apiserver v1.37.2 wrote to etcd
// (test/fixtures/kms-v2/stored-secret.json; its DEK seed is unwrapped here as the test KMS plugin
// does, so this runs without Go). The same path against the live server and plugin is in
// test/oracle/encryption.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DecryptError } from '../../../src/analysis/encryption/formats.js';
import { decodeKmsV2Object, hkdfSha256Expand, openKmsV2Data } from '../../../src/analysis/encryption/kmsv2.js';
import { bytesField, mapField, varintField } from '../../../src/analysis/encryption/protobuf-wire.js';
import { storedObjectType } from '../../../src/analysis/encryption/stored-object.js';
import { REPO_ROOT } from '../../helpers.js';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const fixture = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/kms-v2/stored-secret.json'), 'utf8')) as { providerName: string; keyId: string; kek: string; etcdKey: string; value: string; secret: string };
const PREFIX = `k8s:enc:kms:v2:${fixture.providerName}:`;

/** The test plugin's Decrypt (test/oracle/kms-plugin/main.go): nonce(12) + AES-256-GCM, no AAD. */
function unwrap(kek: Buffer, wrapped: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, 12));
  d.setAuthTag(wrapped.subarray(wrapped.length - 16));
  return Buffer.concat([d.update(wrapped.subarray(12, wrapped.length - 16)), d.final()]);
}

function gcmSeal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const nonce = randomBytes(12);
  const c = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(aad));
  return Buffer.concat([nonce, c.update(plaintext), c.final(), c.getAuthTag()]);
}

function encryptedObject(fields: { data?: Buffer; keyId?: string; dekSource?: Buffer; annotations?: Map<string, Buffer>; type?: number }): Buffer {
  return Buffer.concat([
    bytesField(1, fields.data ?? Buffer.alloc(0)),
    bytesField(2, fields.keyId ?? ''),
    bytesField(3, fields.dekSource ?? Buffer.alloc(0)),
    mapField(4, fields.annotations ?? new Map()),
    varintField(5, fields.type ?? 0),
  ]);
}

test('HKDF-SHA256 expand only: RFC 5869 test case 1 (the expand step, from its PRK)', () => {
  const prk = hex('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
  const info = hex('f0f1f2f3f4f5f6f7f8f9');
  assert.deepEqual(hkdfSha256Expand(prk, info, 42), hex('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'));
});

test('a Secret kube-apiserver v1.37.2 stored with kms v2: decoded, its DEK seed unwrapped, the data opened to the Secret', () => {
  const value = Buffer.from(fixture.value, 'base64');
  assert.ok(value.subarray(0, PREFIX.length).toString('latin1') === PREFIX);
  assert.ok(!value.includes(Buffer.from(fixture.secret)), 'the value is not in the stored bytes');
  const object = decodeKmsV2Object(value.subarray(PREFIX.length));
  assert.equal(object.keyId, fixture.keyId);
  assert.equal(object.dekSourceType, 'HKDF_SHA256_XNONCE_AES_GCM_SEED');
  const seed = unwrap(Buffer.from(fixture.kek, 'base64'), object.encryptedDekSource);
  assert.equal(seed.length, 32);
  const plaintext = openKmsV2Data(object, seed, fixture.etcdKey);
  assert.equal(storedObjectType(plaintext)?.kind, 'Secret');
  assert.ok(plaintext.includes(Buffer.from(fixture.secret)), 'opens to the value written through the API');

  // The etcd key is the AAD; the derived key depends on the info bytes; the seed must be the one unwrapped.
  assert.throws(() => openKmsV2Data(object, seed, fixture.etcdKey + 'x'), DecryptError);
  const flipped = Buffer.from(object.encryptedData);
  flipped[0]! ^= 1;
  assert.throws(() => openKmsV2Data({ ...object, encryptedData: flipped }, seed, fixture.etcdKey), /authentication failed/);
  assert.throws(() => openKmsV2Data(object, randomBytes(32), fixture.etcdKey), /authentication failed/);
  // Read as a plain AES_GCM_KEY value (the seed taken for the key), it does not open: the KDF is needed.
  assert.throws(() => openKmsV2Data({ ...object, dekSourceType: 'AES_GCM_KEY' }, seed, fixture.etcdKey), DecryptError);
});

test('AES_GCM_KEY (before v1.29): the unwrapped DEK source is the AES key itself', () => {
  const dek = randomBytes(32);
  const etcdKey = '/registry/secrets/ns/old';
  const payload = Buffer.from('k8s\0 a stored Secret');
  const bytes = encryptedObject({ data: gcmSeal(dek, payload, etcdKey), keyId: 'k1', dekSource: Buffer.from('wrapped'), annotations: new Map([['version.kms.example.com', Buffer.from('3')]]) });
  const object = decodeKmsV2Object(bytes);
  assert.equal(object.dekSourceType, 'AES_GCM_KEY');
  assert.deepEqual([...object.annotations], [['version.kms.example.com', Buffer.from('3')]]);
  assert.deepEqual(openKmsV2Data(object, dek, etcdKey), payload);
});

test('EncryptedObjects the API server refuses are refused, with the reason', () => {
  const ok = { data: Buffer.from('x'.repeat(40)), keyId: 'k1', dekSource: Buffer.from('wrapped') };
  const cases: [string, Buffer, RegExp][] = [
    ['malformed protobuf', Buffer.from([0x0a, 0x50, 0x01]), /malformed protobuf/],
    ['an unknown DEK source type', encryptedObject({ ...ok, type: 7 }), /unknown encryptedDEKSourceType: 7/],
    ['no data', encryptedObject({ ...ok, data: Buffer.alloc(0) }), /encrypted data is empty/],
    ['no key ID', encryptedObject({ ...ok, keyId: '' }), /key ID is empty/],
    ['a key ID over 1 kB', encryptedObject({ ...ok, keyId: 'k'.repeat(1025) }), /key ID is over 1024/],
    ['no DEK source', encryptedObject({ ...ok, dekSource: Buffer.alloc(0) }), /DEK source is empty/],
    ['a DEK source over 1 kB', encryptedObject({ ...ok, dekSource: Buffer.alloc(1025, 1) }), /over 1024/],
    ['annotations over 32 kB', encryptedObject({ ...ok, annotations: new Map([['a.example.com', Buffer.alloc(33 * 1024)]]) }), /annotations are .* over 32768/],
  ];
  for (const [what, bytes, reason] of cases) assert.throws(() => decodeKmsV2Object(bytes), (err: unknown) => err instanceof DecryptError && reason.test(err.message), what);
  // A seed shorter than 32 bytes, data shorter than the KDF info: refused before any AES.
  const object = decodeKmsV2Object(encryptedObject({ ...ok, type: 1 }));
  assert.throws(() => openKmsV2Data(object, Buffer.alloc(16), '/k'), /DEK seed is 16 bytes/);
  assert.throws(() => openKmsV2Data({ ...object, encryptedData: Buffer.alloc(20) }, Buffer.alloc(32), '/k'), /shorter than the KDF info/);
});
