// The protobuf wire format, as far as kubeharden reads and writes it: the few small messages of
// the API server's storage envelope (stored-object.ts) and of KMS v2 (kmsv2.ts, the KMS plugin
// client). Messages are read field by field without a schema; a malformed message is undefined,
// never an exception. https://protobuf.dev/programming-guides/encoding/

export interface WireField {
  number: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wireType: number;
  /** Varints as numbers (exact up to 2^53, far above any enum or length here). */
  varint?: number;
  bytes?: Buffer;
}

function readVarint(buf: Buffer, start: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let pos = start; pos < buf.length && pos < start + 10; pos++) {
    const byte = buf[pos] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: pos + 1 };
  }
  return undefined;
}

/** Every field of a message in order (repeated fields and map entries appear once per entry); undefined when malformed. */
export function readFields(message: Buffer): WireField[] | undefined {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < message.length) {
    const tag = readVarint(message, pos);
    if (!tag) return undefined;
    pos = tag.next;
    const wireType = tag.value % 8;
    const number = Math.floor(tag.value / 8);
    if (number === 0) return undefined;
    if (wireType === 0) {
      const v = readVarint(message, pos);
      if (!v) return undefined;
      fields.push({ number, wireType, varint: v.value });
      pos = v.next;
    } else if (wireType === 2) {
      const len = readVarint(message, pos);
      if (!len || len.next + len.value > message.length) return undefined;
      fields.push({ number, wireType, bytes: message.subarray(len.next, len.next + len.value) });
      pos = len.next + len.value;
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (pos + size > message.length) return undefined;
      fields.push({ number, wireType, bytes: message.subarray(pos, pos + size) });
      pos += size;
    } else return undefined;
  }
  return fields;
}

/** The bytes of the last length-delimited field with this number (protobuf: the last one wins); undefined when absent. */
export function lastBytesField(fields: readonly WireField[], number: number): Buffer | undefined {
  for (let i = fields.length - 1; i >= 0; i--) {
    const f = fields[i]!;
    if (f.number === number && f.wireType === 2) return f.bytes;
  }
  return undefined;
}

function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

/** A length-delimited field (bytes, string, embedded message); empty values are left out, as proto3 does. */
export function bytesField(number: number, value: Buffer | string): Buffer {
  const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (data.length === 0) return Buffer.alloc(0);
  return Buffer.concat([varint(number * 8 + 2), varint(data.length), data]);
}

/** A varint field; zero is left out, as proto3 does. */
export function varintField(number: number, value: number): Buffer {
  return value === 0 ? Buffer.alloc(0) : Buffer.concat([varint(number * 8), varint(value)]);
}

/** A `map<string, bytes>` field: one entry message {1: key, 2: value} per key (an entry is written even when empty). */
export function mapField(number: number, map: ReadonlyMap<string, Buffer>): Buffer {
  return Buffer.concat(
    [...map].map(([k, v]) => {
      const entry = Buffer.concat([bytesField(1, k), bytesField(2, v)]);
      return Buffer.concat([varint(number * 8 + 2), varint(entry.length), entry]);
    }),
  );
}
