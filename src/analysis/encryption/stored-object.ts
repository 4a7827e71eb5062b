// Recognises a serialized Kubernetes object as the API server stores it (spec/semantics.md 4.4):
// built-in types as the protobuf envelope — magic "k8s\0" + runtime.Unknown {1: typeMeta {1: apiVersion,
// 2: kind}, 2: raw, 3: contentEncoding, 4: contentType} — and custom resources as JSON. Only the type
// is read, never the object's data.

import { readFields } from './protobuf-wire.js';

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface StoredObjectType {
  encoding: 'protobuf' | 'json';
  apiVersion: string;
  kind: string;
}

/** The apiVersion and kind of a stored object, or undefined when the bytes are neither format. */
export function storedObjectType(data: Buffer): StoredObjectType | undefined {
  if (data.length >= PROTOBUF_MAGIC.length && data.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) {
    const typeMeta = lengthDelimitedField(data.subarray(PROTOBUF_MAGIC.length), 1);
    if (!typeMeta) return undefined;
    const apiVersion = lengthDelimitedField(typeMeta, 1)?.toString('utf8') ?? '';
    const kind = lengthDelimitedField(typeMeta, 2)?.toString('utf8') ?? '';
    return kind ? { encoding: 'protobuf', apiVersion, kind } : undefined;
  }
  if (data[0] === 0x7b /* { */) {
    try {
      const obj = JSON.parse(data.toString('utf8')) as { apiVersion?: unknown; kind?: unknown };
      if (typeof obj.kind === 'string') return { encoding: 'json', apiVersion: String(obj.apiVersion ?? ''), kind: obj.kind };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The first length-delimited field with this number in a protobuf message; undefined when absent or malformed. */
function lengthDelimitedField(message: Buffer, field: number): Buffer | undefined {
  return readFields(message)?.find((f) => f.number === field && f.wireType === 2)?.bytes;
}
