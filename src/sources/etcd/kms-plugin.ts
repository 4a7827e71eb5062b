// A client of a KMS v2 plugin (k8s.io/kms apis/v2/api.proto, service v2.KeyManagementService) on
// its unix socket, as the API server calls it: gRPC over HTTP/2 without TLS. Only the two unary
// calls the etcd probe needs — Status (the current key ID) and Decrypt (unwrap a DEK source) —
// so this is a minimal gRPC client on node:http2 rather than @grpc/grpc-js + proto-loader
// (a runtime dependency tree of protobufjs, yargs and more for two calls of three small
// messages). Framing: https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
//
// The plugin is someone else's process: every answer is bounded in size and time, and a failure
// is a KmsPluginError naming the socket, never a crash. Unwrapped keys are never logged.

import http2 from 'node:http2';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { bytesField, lastBytesField, mapField, readFields } from '../../analysis/encryption/protobuf-wire.js';

export class KmsPluginError extends Error {}

/** No answer of these calls comes near this (DEKs are ≤ 1 KiB, key IDs ≤ 1 KiB). */
const MAX_ANSWER_BYTES = 1024 * 1024;
const SERVICE = '/v2.KeyManagementService';

export interface KmsStatus {
  version: string;
  healthz: string;
  keyId: string;
}

export interface KmsDecryptRequest {
  ciphertext: Buffer;
  keyId: string;
  annotations: ReadonlyMap<string, Buffer>;
}

export interface KmsPlugin {
  readonly socket: string;
  status(): Promise<KmsStatus>;
  decrypt(request: KmsDecryptRequest): Promise<Buffer>;
  close(): void;
}

/**
 * The socket path of an EncryptionConfiguration kms endpoint: `unix:///path/to/socket`, or
 * `unix:///@name` for an abstract socket (as Go's net package reads a leading @).
 */
export function socketOfEndpoint(endpoint: string): string {
  const m = /^unix:\/\/(\/.*)$/.exec(endpoint);
  if (!m) throw new KmsPluginError(`KMS endpoint ${JSON.stringify(endpoint)} is not unix:///path/to/socket`);
  const p = m[1]!;
  return p.startsWith('/@') ? '\0' + p.slice(2) : p;
}

export function connectKmsPlugin(socket: string, timeoutMs: number): KmsPlugin {
  const shown = socket.startsWith('\0') ? `@${socket.slice(1)}` : socket;
  let session: http2.ClientHttp2Session | undefined;
  const open = (): http2.ClientHttp2Session => {
    if (session && !session.closed && !session.destroyed) return session;
    const s = http2.connect('http://localhost', { createConnection: () => net.connect(socket) });
    // Errors surface on each call's stream; an idle session error must not crash the process.
    s.on('error', () => undefined);
    s.unref();
    session = s;
    return s;
  };

  const call = (method: string, message: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const fail = (why: string) => reject(new KmsPluginError(`KMS plugin at ${shown}: ${method} failed: ${why}`));
      let stream: http2.ClientHttp2Stream;
      try {
        stream = open().request({
          ':method': 'POST',
          ':path': `${SERVICE}/${method}`,
          'content-type': 'application/grpc',
          te: 'trailers',
          'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMs))}m`,
        });
      } catch (err) {
        fail((err as Error).message);
        return;
      }
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        fail(`no answer within ${timeoutMs} ms`);
      }, timeoutMs);
      const chunks: Buffer[] = [];
      let size = 0;
      let status: string | undefined;
      let grpcMessage = '';
      const noteStatus = (headers: http2.IncomingHttpHeaders) => {
        if (headers['grpc-status'] !== undefined) status = String(headers['grpc-status']);
        if (headers['grpc-message'] !== undefined) grpcMessage = decodeGrpcMessage(String(headers['grpc-message']));
      };
      stream.on('response', (headers) => {
        const httpStatus = headers[':status'];
        if (httpStatus !== 200) {
          stream.close(http2.constants.NGHTTP2_CANCEL);
          fail(`HTTP status ${String(httpStatus)} (is it a gRPC server?)`);
          return;
        }
        noteStatus(headers);
      });
      stream.on('trailers', noteStatus);
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          stream.close(http2.constants.NGHTTP2_CANCEL);
          fail(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (err: NodeJS.ErrnoException) => {
        // A failed connect cancels the pending stream; the socket's own error is its cause.
        const code = (err.cause as NodeJS.ErrnoException | undefined)?.code ?? err.code;
        fail(code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' ? `cannot connect (${code}): is the plugin running, and is this the socket of the EncryptionConfiguration?` : err.message);
      });
      stream.on('close', () => {
        clearTimeout(timer);
        if (status === undefined) return fail('the answer has no grpc-status');
        if (status !== '0') return fail(`gRPC status ${status}${grpcMessage ? `: ${grpcMessage}` : ''}`);
        const body = Buffer.concat(chunks);
        if (body.length < 5) return fail('the answer has no message');
        if (body[0] !== 0) return fail('the answer is compressed, which was not asked for');
        const length = body.readUInt32BE(1);
        if (body.length !== 5 + length) return fail('the answer is not exactly one gRPC message');
        resolve(body.subarray(5));
      });
      const frame = Buffer.alloc(5);
      frame.writeUInt32BE(message.length, 1);
      stream.end(Buffer.concat([frame, message]));
    });

  const field = (message: Buffer, number: number): Buffer | undefined => {
    const fields = readFields(message);
    if (!fields) throw new KmsPluginError(`KMS plugin at ${shown}: the answer is malformed protobuf`);
    return lastBytesField(fields, number);
  };

  return {
    socket: shown,
    async status() {
      const answer = await call('Status', Buffer.alloc(0));
      const text = (n: number) => field(answer, n)?.toString('utf8') ?? '';
      return { version: text(1), healthz: text(2), keyId: text(3) };
    },
    async decrypt(request) {
      // DecryptRequest {1 ciphertext, 2 uid, 3 key_id, 4 annotations}; the uid only correlates logs.
      const message = Buffer.concat([bytesField(1, request.ciphertext), bytesField(2, randomUUID()), bytesField(3, request.keyId), mapField(4, request.annotations)]);
      const plaintext = field(await call('Decrypt', message), 1);
      if (!plaintext?.length) throw new KmsPluginError(`KMS plugin at ${shown}: Decrypt answered an empty key`);
      return plaintext;
    },
    close() {
      session?.close();
    },
  };
}

/** grpc-message is percent-encoded (PROTOCOL-HTTP2.md); a bad escape is shown as sent. */
function decodeGrpcMessage(text: string): string {
  try {
    return decodeURIComponent(text).slice(0, 500);
  } catch {
    return text.slice(0, 500);
  }
}
