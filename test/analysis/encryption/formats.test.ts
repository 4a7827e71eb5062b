import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { classifyStoredValue, openBody, readStoredValue, sealValue } from '../../../src/analysis/encryption/formats.js';
import type { LocalKeyProviderType, Provider } from '../../../src/analysis/encryption/config.js';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const ETCD_KEY = '/registry/secrets/default/s1';

function localProvider(type: LocalKeyProviderType, keys: { name: string; secret: Buffer }[], index = 0): Provider {
  return { type, path: ['resources', 0, 'providers', index], keys: keys.map((k, i) => ({ ...k, path: [i] })) };
}
const identity = (index: number): Provider => ({ type: 'identity', path: ['resources', 0, 'providers', index], keys: [] });
/** A "random" source that returns fixed bytes, so sealing is deterministic for the vectors. */
const fixed = (bytes: Buffer) => (size: number) => {
  assert.equal(size, bytes.length, 'the provider asked for a nonce/IV of the size the spec gives');
  return bytes;
};

// NIST SP 800-38A F.2.5 (CBC-AES256): two plaintext blocks and their ciphertext.
const CBC_KEY = hex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
const CBC_IV = hex('000102030405060708090a0b0c0d0e0f');
const CBC_P = hex('6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51');
const CBC_C = hex('f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d');

test('aescbc: the stored value is prefix + key name + IV + CBC blocks + a full PKCS#7 pad block (NIST SP 800-38A vector)', () => {
  // A 32-byte plaintext gets a whole block of 0x10 padding; its ciphertext block is AES(key, pad XOR last block).
  const ecb = createCipheriv('aes-256-ecb', CBC_KEY, null).setAutoPadding(false);
  const padBlock = Buffer.alloc(16, 0x10).map((b, i) => b ^ (CBC_C[16 + i] as number));
  const c3 = Buffer.concat([ecb.update(padBlock), ecb.final()]);
  const expected = Buffer.concat([Buffer.from('k8s:enc:aescbc:v1:key1:'), CBC_IV, CBC_C, c3]);

  const sealed = sealValue('aescbc', { name: 'key1', secret: CBC_KEY }, CBC_P, ETCD_KEY, fixed(CBC_IV));
  assert.deepEqual(sealed, expected);
  const read = readStoredValue(expected, '/any/other/key', [localProvider('aescbc', [{ name: 'key1', secret: CBC_KEY }])]);
  assert.ok(read.ok);
  assert.deepEqual(read.plaintext, CBC_P, 'aescbc has no AAD: the etcd key does not matter');
});

// McGrew & Viega GCM test case 3 (AES-128, no AAD): nonce, ciphertext, tag.
const GCM_KEY = hex('feffe9928665731c6d6a8f9467308308');
const GCM_NONCE = hex('cafebabefacedbaddecaf888');
const GCM_P = hex(`d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
                   1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255`);
const GCM_C = hex(`42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
                   21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985`);
const GCM_T = hex('4d5c2af327cd64a62cf35abd2ba6fab4');

test('aesgcm: prefix + key name + nonce(12) + ciphertext + tag(16) (GCM test case 3, empty etcd key as AAD)', () => {
  const expected = Buffer.concat([Buffer.from('k8s:enc:aesgcm:v1:k:'), GCM_NONCE, GCM_C, GCM_T]);
  assert.deepEqual(sealValue('aesgcm', { name: 'k', secret: GCM_KEY }, GCM_P, '', fixed(GCM_NONCE)), expected);
  const read = readStoredValue(expected, '', [localProvider('aesgcm', [{ name: 'k', secret: GCM_KEY }])]);
  assert.ok(read.ok);
  assert.deepEqual(read.plaintext, GCM_P);
});

test('aesgcm: the etcd key is the authenticated data, so a value copied under another key does not open', () => {
  const key = Buffer.alloc(32, 7);
  const nonce = Buffer.alloc(12, 1);
  const plaintext = Buffer.from('k8s\0payload');
  // Built by hand from the layout: AES-256-GCM with AAD = the etcd key string.
  const gcm = createCipheriv('aes-256-gcm', key, nonce);
  gcm.setAAD(Buffer.from(ETCD_KEY));
  const ct = Buffer.concat([gcm.update(plaintext), gcm.final()]);
  const stored = Buffer.concat([Buffer.from('k8s:enc:aesgcm:v1:key1:'), nonce, ct, gcm.getAuthTag()]);
  assert.deepEqual(sealValue('aesgcm', { name: 'key1', secret: key }, plaintext, ETCD_KEY, fixed(nonce)), stored);
  const providers = [localProvider('aesgcm', [{ name: 'key1', secret: key }])];
  assert.ok(readStoredValue(stored, ETCD_KEY, providers).ok);
  const moved = readStoredValue(stored, '/registry/secrets/default/other', providers);
  assert.equal(moved.ok, false);
  assert.match(!moved.ok ? moved.reason : '', /authentication failed/);
});

// NaCl tests/secretbox.c (D. J. Bernstein): key, nonce, 131-byte message, tag + ciphertext.
const NACL_KEY = hex('1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389');
const NACL_NONCE = hex('69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37');
const NACL_M = hex(`be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffc
  e5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057
  e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705`);
const NACL_C = hex(`f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186a
  c0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae9022
  4368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5`);

test('secretbox: prefix + key name + nonce(24) + Poly1305 tag + XSalsa20 ciphertext (NaCl test vector)', () => {
  const expected = Buffer.concat([Buffer.from('k8s:enc:secretbox:v1:key1:'), NACL_NONCE, NACL_C]);
  assert.equal(NACL_C.length, NACL_M.length + 16);
  assert.deepEqual(sealValue('secretbox', { name: 'key1', secret: NACL_KEY }, NACL_M, ETCD_KEY, fixed(NACL_NONCE)), expected);
  const read = readStoredValue(expected, '/elsewhere', [localProvider('secretbox', [{ name: 'key1', secret: NACL_KEY }])]);
  assert.ok(read.ok);
  assert.deepEqual(read.plaintext, NACL_M);
});

test('round trips for every provider and key size, including empty and block-sized plaintexts', () => {
  const cases: [LocalKeyProviderType, number][] = [['aescbc', 16], ['aescbc', 24], ['aescbc', 32], ['aesgcm', 16], ['aesgcm', 32], ['secretbox', 32]];
  for (const [type, size] of cases) {
    const key = { name: 'k-' + size, secret: Buffer.alloc(size, size) };
    for (const length of [0, 1, 15, 16, 17, 1000]) {
      const plaintext = Buffer.alloc(length, 0xab);
      const stored = sealValue(type, key, plaintext, ETCD_KEY);
      const read = readStoredValue(stored, ETCD_KEY, [localProvider(type, [key])]);
      assert.ok(read.ok, `${type}/${size}/${length}`);
      assert.deepEqual(read.plaintext, plaintext);
      assert.equal(read.stale, false);
    }
  }
});

test('read path: tries each matching key in order; a read by a later key or provider is stale', () => {
  const oldKey = { name: 'old', secret: Buffer.alloc(32, 1) };
  const newKey = { name: 'new', secret: Buffer.alloc(32, 2) };
  const stored = sealValue('secretbox', oldKey, Buffer.from('k8s\0x'), ETCD_KEY);
  const rotated = [localProvider('secretbox', [newKey, oldKey]), identity(1)];
  const read = readStoredValue(stored, ETCD_KEY, rotated);
  assert.ok(read.ok && read.stale && read.key?.name === 'old');

  const plain = readStoredValue(Buffer.from('k8s\0plain'), ETCD_KEY, rotated);
  assert.ok(plain.ok && plain.stale && plain.provider.type === 'identity', 'identity second reads plain values, stale');

  const sameName = { name: 'old', secret: Buffer.alloc(32, 3) };
  const dup = readStoredValue(stored, ETCD_KEY, [localProvider('secretbox', [sameName, oldKey])]);
  assert.ok(dup.ok && dup.key?.secret?.equals(oldKey.secret) && dup.stale, 'a wrong key of the same name is skipped, the next one opens it');

  const missing = readStoredValue(stored, ETCD_KEY, [localProvider('secretbox', [newKey]), identity(1)]);
  assert.equal(missing.ok, false);
  assert.match(!missing.ok ? missing.reason : '', /no configured provider has the key "old"/);
});

test('truncated bodies are a DecryptError naming the layout, not a crash', () => {
  const stored = sealValue('aescbc', { name: 'k', secret: Buffer.alloc(32, 1) }, Buffer.from('hello'), ETCD_KEY);
  const body = stored.subarray('k8s:enc:aescbc:v1:k:'.length);
  assert.throws(() => openBody('aescbc', Buffer.alloc(32, 1), body.subarray(0, 20), ETCD_KEY), /whole AES blocks/);
  assert.throws(() => openBody('secretbox', Buffer.alloc(32, 1), Buffer.alloc(10), ETCD_KEY), /shorter/);
  assert.throws(() => openBody('aesgcm', Buffer.alloc(32, 1), Buffer.alloc(10), ETCD_KEY), /shorter/);
});

test('classifies stored values by prefix', () => {
  assert.deepEqual(classifyStoredValue(Buffer.from('k8s:enc:aescbc:v1:key1:\x00\x01')), {
    encrypted: true, provider: 'aescbc', version: 'v1', keyName: 'key1', prefix: 'k8s:enc:aescbc:v1:key1:',
  });
  assert.deepEqual(classifyStoredValue(Buffer.from('k8s:enc:kms:v2:vault:\x0a')), {
    encrypted: true, provider: 'kms', version: 'v2', keyName: 'vault', prefix: 'k8s:enc:kms:v2:vault:',
  });
  assert.deepEqual(classifyStoredValue(Buffer.from('k8s\x00\x0a\x0d')), { encrypted: false });
  assert.equal(classifyStoredValue(Buffer.from('k8s:enc:garbage')).encrypted, true);
});
