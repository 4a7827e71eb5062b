// KMS v2 envelope encryption as the API server stores it (k8s.io/apiserver
// pkg/storage/value/encrypt/envelope/kmsv2, v1.29+). After the prefix
// "k8s:enc:kms:v2:" + provider name + ":" comes an EncryptedObject (kmsv2/v2/api.proto):
//   1 encryptedData          bytes    the object, AES-GCM encrypted with the DEK
//   2 keyID                  string   the KMS key (KEK) that wrapped the DEK source
//   3 encryptedDEKSource     bytes    the DEK source, wrapped by the KMS plugin
//   4 annotations            map<string, bytes> from the plugin, handed back to it on Decrypt
//   5 encryptedDEKSourceType enum     0 AES_GCM_KEY: the DEK source is the AES key itself;
//                                     1 HKDF_SHA256_XNONCE_AES_GCM_SEED: it is a seed, and the
//                                       key of each value is HKDF-SHA256-Expand(seed, info) with
//                                       info = the first 32 bytes of encryptedData (aes/aes_extended_nonce.go)
// The data after that is nonce(12) + AES-GCM ciphertext + tag(16), with the etcd key as AAD
// (aes/aes.go, gcm.TransformFromStorage). Unwrapping the DEK source needs the KMS plugin (the
// caller does that, sources/kms); everything else is here, without I/O.

import { createHmac } from 'node:crypto';
import { DecryptError, openBody } from './formats.js';
import { lastBytesField, readFields } from './protobuf-wire.js';

export type DekSourceType = 'AES_GCM_KEY' | 'HKDF_SHA256_XNONCE_AES_GCM_SEED';

export interface KmsV2EncryptedObject {
  encryptedData: Buffer;
  keyId: string;
  encryptedDekSource: Buffer;
  annotations: Map<string, Buffer>;
  dekSourceType: DekSourceType;
}

/** The limits the API server checks before using a stored value (envelope.go ValidateEncryptedObject). */
const MAX_KEY_ID_BYTES = 1024;
const MAX_DEK_SOURCE_BYTES = 1024;
const MAX_ANNOTATION_BYTES = 32 * 1024;
/** commonSize in aes_extended_nonce.go: the info prefix, the derived key and the least seed size. */
const XNONCE_INFO_BYTES = 32;

/** Decodes the EncryptedObject after the prefix; throws DecryptError saying what is wrong, as the API server would refuse it. */
export function decodeKmsV2Object(data: Buffer): KmsV2EncryptedObject {
  const fields = readFields(data);
  if (!fields) throw new DecryptError('the kms v2 value is not a valid EncryptedObject (malformed protobuf)');
  const out: KmsV2EncryptedObject = { encryptedData: Buffer.alloc(0), keyId: '', encryptedDekSource: Buffer.alloc(0), annotations: new Map(), dekSourceType: 'AES_GCM_KEY' };
  let sourceType = 0;
  for (const f of fields) {
    // Protobuf: the last occurrence of a singular field wins; unknown fields are skipped.
    if (f.number === 1 && f.bytes && f.wireType === 2) out.encryptedData = f.bytes;
    else if (f.number === 2 && f.bytes && f.wireType === 2) out.keyId = f.bytes.toString('utf8');
    else if (f.number === 3 && f.bytes && f.wireType === 2) out.encryptedDekSource = f.bytes;
    else if (f.number === 4 && f.bytes && f.wireType === 2) {
      const entry = readFields(f.bytes);
      if (!entry) throw new DecryptError('the kms v2 value has a malformed annotation');
      out.annotations.set(lastBytesField(entry, 1)?.toString('utf8') ?? '', lastBytesField(entry, 2) ?? Buffer.alloc(0));
    } else if (f.number === 5 && f.wireType === 0) sourceType = f.varint ?? 0;
  }
  if (sourceType === 0) out.dekSourceType = 'AES_GCM_KEY';
  else if (sourceType === 1) out.dekSourceType = 'HKDF_SHA256_XNONCE_AES_GCM_SEED';
  else throw new DecryptError(`unknown encryptedDEKSourceType: ${sourceType}`);
  if (out.encryptedData.length === 0) throw new DecryptError('encrypted data is empty');
  if (out.encryptedDekSource.length === 0) throw new DecryptError('encrypted DEK source is empty');
  if (out.encryptedDekSource.length > MAX_DEK_SOURCE_BYTES) throw new DecryptError(`encrypted DEK source is ${out.encryptedDekSource.length} bytes, over ${MAX_DEK_SOURCE_BYTES}`);
  if (out.keyId === '') throw new DecryptError('the key ID is empty');
  if (Buffer.byteLength(out.keyId) > MAX_KEY_ID_BYTES) throw new DecryptError(`the key ID is over ${MAX_KEY_ID_BYTES} bytes`);
  let annotationBytes = 0;
  for (const [k, v] of out.annotations) annotationBytes += Buffer.byteLength(k) + v.length;
  if (annotationBytes > MAX_ANNOTATION_BYTES) throw new DecryptError(`the annotations are ${annotationBytes} bytes, over ${MAX_ANNOTATION_BYTES}`);
  return out;
}

/**
 * Opens encryptedData with the DEK source the KMS plugin unwrapped: directly as the AES key
 * (AES_GCM_KEY), or as the seed of a key derived per value (HKDF_SHA256_XNONCE_AES_GCM_SEED).
 */
export function openKmsV2Data(object: Pick<KmsV2EncryptedObject, 'encryptedData' | 'dekSourceType'>, dekSource: Buffer, etcdKey: string): Buffer {
  let key = dekSource;
  let data = object.encryptedData;
  if (object.dekSourceType === 'HKDF_SHA256_XNONCE_AES_GCM_SEED') {
    if (dekSource.length < XNONCE_INFO_BYTES) throw new DecryptError(`the DEK seed is ${dekSource.length} bytes, under ${XNONCE_INFO_BYTES}`);
    if (data.length < XNONCE_INFO_BYTES) throw new DecryptError('the stored data is shorter than the KDF info');
    key = hkdfSha256Expand(dekSource, data.subarray(0, XNONCE_INFO_BYTES), 32);
    data = data.subarray(XNONCE_INFO_BYTES);
  }
  // The same AES-GCM layout as the aesgcm provider: nonce(12) + ciphertext + tag(16), the etcd key as AAD.
  return openBody('aesgcm', key, data, etcdKey);
}

/**
 * HKDF-Expand only (RFC 5869 section 2.3), with the seed as the pseudorandom key — the API server
 * calls golang.org/x/crypto/hkdf.Expand, not hkdf.New, so Node's hkdf (extract and expand) would
 * derive another key.
 */
export function hkdfSha256Expand(prk: Buffer, info: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i++) {
    previous = createHmac('sha256', prk).update(Buffer.concat([previous, info, Buffer.from([i])])).digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}
