// The exact byte formats in which the API server stores objects in etcd (spec/semantics.md 4.3/4.4):
//   aescbc:    "k8s:enc:aescbc:v1:"    + name + ":" + IV(16) + AES-CBC(plaintext + PKCS#7 padding)
//   aesgcm:    "k8s:enc:aesgcm:v1:"    + name + ":" + nonce(12) + AES-GCM ciphertext + tag(16), AAD = etcd key
//   secretbox: "k8s:enc:secretbox:v1:" + name + ":" + nonce(24) + NaCl secretbox (tag(16) + XSalsa20 ciphertext)
//   identity:  the serialized object unchanged; kms v1/v2: "k8s:enc:kms:v1|v2:" + provider name + ":" …
// and the read algorithm that picks the transformer that decrypts a stored value.
//
// XSalsa20-Poly1305 is not in Node's crypto; tweetnacl (audited, dependency-free) provides it.

import { createCipheriv, createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import nacl from 'tweetnacl';
import type { EncryptionKey, LocalKeyProviderType, Provider } from './config.js';

const ENCRYPTED_PREFIX = 'k8s:enc:';
const AES_BLOCK = 16;
const GCM_NONCE = 12;
const GCM_TAG = 16;

function providerPrefix(type: LocalKeyProviderType): string {
  return `${ENCRYPTED_PREFIX}${type}:v1:`;
}

function kmsPrefix(apiVersion: string, name: string): string {
  return `${ENCRYPTED_PREFIX}kms:${apiVersion}:${name}:`;
}

export class DecryptError extends Error {}

/** Encrypts a serialized object exactly as the API server's write path does with this key. */
export function sealValue(
  type: LocalKeyProviderType,
  key: { name: string; secret: Buffer },
  plaintext: Buffer,
  etcdKey: string,
  random: (size: number) => Buffer = randomBytes,
): Buffer {
  const prefix = Buffer.from(`${providerPrefix(type)}${key.name}:`);
  return Buffer.concat([prefix, sealBody(type, key.secret, plaintext, etcdKey, random)]);
}

function sealBody(type: LocalKeyProviderType, secret: Buffer, plaintext: Buffer, etcdKey: string, random: (size: number) => Buffer): Buffer {
  switch (type) {
    case 'aescbc': {
      const iv = random(AES_BLOCK);
      const padLength = AES_BLOCK - (plaintext.length % AES_BLOCK);
      const cipher = createCipheriv(aesAlgorithm('cbc', secret), secret, iv).setAutoPadding(false);
      const padded = Buffer.concat([plaintext, Buffer.alloc(padLength, padLength)]);
      return Buffer.concat([iv, cipher.update(padded), cipher.final()]);
    }
    case 'aesgcm': {
      const nonce = random(GCM_NONCE);
      const cipher = createCipheriv(aesAlgorithm('gcm', secret) as CipherGCMTypes, secret, nonce);
      cipher.setAAD(Buffer.from(etcdKey));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([nonce, body, cipher.getAuthTag()]);
    }
    case 'secretbox': {
      const nonce = random(nacl.secretbox.nonceLength);
      return Buffer.concat([nonce, Buffer.from(nacl.secretbox(plaintext, nonce, secret))]);
    }
  }
}

/** Decrypts the bytes after `<prefix><keyName>:`; throws DecryptError when the key does not open them. */
export function openBody(type: LocalKeyProviderType, secret: Buffer, body: Buffer, etcdKey: string): Buffer {
  switch (type) {
    case 'aescbc': {
      if (body.length < 2 * AES_BLOCK || (body.length - AES_BLOCK) % AES_BLOCK !== 0) {
        throw new DecryptError('aescbc data is not an IV followed by whole AES blocks');
      }
      const decipher = createDecipheriv(aesAlgorithm('cbc', secret), secret, body.subarray(0, AES_BLOCK)).setAutoPadding(false);
      const padded = Buffer.concat([decipher.update(body.subarray(AES_BLOCK)), decipher.final()]);
      return removePkcs7(padded);
    }
    case 'aesgcm': {
      if (body.length < GCM_NONCE + GCM_TAG) throw new DecryptError('aesgcm data is shorter than a nonce and a tag');
      const decipher = createDecipheriv(aesAlgorithm('gcm', secret) as CipherGCMTypes, secret, body.subarray(0, GCM_NONCE));
      decipher.setAAD(Buffer.from(etcdKey));
      decipher.setAuthTag(body.subarray(body.length - GCM_TAG));
      try {
        return Buffer.concat([decipher.update(body.subarray(GCM_NONCE, body.length - GCM_TAG)), decipher.final()]);
      } catch {
        throw new DecryptError('aesgcm authentication failed (wrong key, or the value was copied from another etcd key)');
      }
    }
    case 'secretbox': {
      const nonceLength = nacl.secretbox.nonceLength;
      if (body.length < nonceLength + nacl.secretbox.overheadLength) throw new DecryptError('secretbox data is shorter than a nonce and a tag');
      const opened = nacl.secretbox.open(body.subarray(nonceLength), body.subarray(0, nonceLength), secret);
      if (!opened) throw new DecryptError('secretbox authentication failed (wrong key)');
      return Buffer.from(opened);
    }
  }
}

function aesAlgorithm(mode: 'cbc' | 'gcm', secret: Buffer): string {
  if (![16, 24, 32].includes(secret.length)) throw new DecryptError(`AES keys are 16, 24 or 32 bytes, not ${secret.length}`);
  return `aes-${secret.length * 8}-${mode}`;
}

/**
 * Go's aescbc unpad, exactly: the last byte is the pad length and every pad byte equals it. Like the
 * API server it does not insist on at most one block of padding (writes always use 1–16).
 */
function removePkcs7(data: Buffer): Buffer {
  const pad = data[data.length - 1] ?? 0;
  if (pad === 0 || pad > data.length || !data.subarray(data.length - pad).every((b) => b === pad)) {
    throw new DecryptError('invalid PKCS#7 padding (wrong key)');
  }
  return data.subarray(0, data.length - pad);
}

/** What the prefix of a stored value says about how it was written. */
export type StoredValueClass =
  | { encrypted: true; provider: string; version: string; keyName: string; prefix: string }
  | { encrypted: false };

/** Classifies a stored value by its prefix only (no key needed). */
export function classifyStoredValue(value: Buffer): StoredValueClass {
  if (!startsWith(value, ENCRYPTED_PREFIX)) return { encrypted: false };
  // The key (or KMS provider) name runs to the next colon; the header is ASCII, so latin1 keeps offsets.
  const head = value.subarray(0, 512).toString('latin1');
  const m = /^k8s:enc:([^:]*):([^:]*):([^:]*):/.exec(head);
  if (!m) return { encrypted: true, provider: 'unknown', version: '', keyName: '', prefix: ENCRYPTED_PREFIX };
  return { encrypted: true, provider: m[1] as string, version: m[2] as string, keyName: m[3] as string, prefix: m[0] };
}

export type ReadOutcome =
  | {
      ok: true;
      plaintext: Buffer;
      provider: Provider;
      /** The key that opened it; undefined for identity. */
      key?: EncryptionKey;
      /** Read by a transformer other than the first (provider or key): a rewrite would re-encrypt it. */
      stale: boolean;
    }
  | { ok: false; reason: string };

/**
 * The API server's read path: walk the providers in order; every provider (and, inside it, every
 * key) whose prefix matches is tried; the first that decrypts wins. Identity matches anything not
 * starting with `k8s:enc:`. KMS values cannot be opened without the plugin and are reported so.
 */
export function readStoredValue(value: Buffer, etcdKey: string, providers: readonly Provider[]): ReadOutcome {
  const tried: string[] = [];
  for (const [providerIndex, provider] of providers.entries()) {
    if (provider.type === 'identity') {
      if (!startsWith(value, ENCRYPTED_PREFIX)) return { ok: true, plaintext: value, provider, stale: providerIndex !== 0 };
      continue;
    }
    if (provider.type === 'kms') {
      if (provider.kms && startsWith(value, kmsPrefix(provider.kms.apiVersion, provider.kms.name))) {
        tried.push(`kms provider ${provider.kms.name} matches but needs the KMS plugin to decrypt (etcd probe --kms-plugin calls it)`);
      }
      continue;
    }
    const prefix = providerPrefix(provider.type);
    if (!startsWith(value, prefix)) continue;
    for (const [keyIndex, key] of provider.keys.entries()) {
      const keyPrefix = `${prefix}${key.name}:`;
      if (!key.secret || !startsWith(value, keyPrefix)) continue;
      try {
        const plaintext = openBody(provider.type, key.secret, value.subarray(Buffer.byteLength(keyPrefix)), etcdKey);
        return { ok: true, plaintext, provider, key, stale: providerIndex !== 0 || keyIndex !== 0 };
      } catch (err) {
        if (!(err instanceof DecryptError)) throw err;
        tried.push(`${provider.type} key "${key.name}": ${err.message}`);
      }
    }
  }
  const cls = classifyStoredValue(value);
  if (tried.length === 0) {
    return {
      ok: false,
      reason: cls.encrypted
        ? `no configured provider has the key "${cls.keyName}" of ${cls.provider} ${cls.version}`
        : 'stored in plain text, but no identity provider is configured to read it',
    };
  }
  return { ok: false, reason: tried.join('; ') };
}

function startsWith(value: Buffer, prefix: string): boolean {
  const p = Buffer.from(prefix);
  return value.length >= p.length && value.subarray(0, p.length).equals(p);
}
