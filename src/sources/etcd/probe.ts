// The live view of etcd: does the client port answer without TLS, without a client certificate, is
// its certificate right, and how are the Secrets under /registry/secrets/ stored — by storage prefix,
// naming the plain ones (names only), and with an EncryptionConfiguration, whether each one decrypts
// with the configured keys as the API server would read it. Read-only: only range requests are sent.

import { SECRETS, providersFor, type EncryptionConfig, type Provider } from '../../analysis/encryption/config.js';
import { classifyStoredValue, readStoredValue } from '../../analysis/encryption/formats.js';
import { storedObjectType } from '../../analysis/encryption/stored-object.js';
import { kmsReader, type KmsOptions, type KmsReader } from './kms-read.js';
import { EtcdError, forEachUnderPrefix, inspectServerCertificate, postJson, type EtcdConnection, type KeyValue } from './client.js';
import type { EndpointReport, ProbeReport, SecretRef, SecretsReport } from '../../inventory/probe-observations.js';

export interface ProbeOptions {
  endpoints: string[];
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Read Secrets even when the server certificate does not verify (never for the plain/cert tests, which do not send credentials). */
  insecureSkipVerify?: boolean;
  timeoutMs: number;
  /** The API server's --etcd-prefix (default /registry). */
  etcdPrefix?: string;
  encryption?: EncryptionConfig;
  /** Call the KMS v2 plugins to decrypt kms v2 Secrets (with `encryption`); without it they are reported as needing the plugin. */
  kms?: Omit<KmsOptions, 'timeoutMs'>;
  pageSize?: number;
}

/** A range request that touches at most one key name: enough to see whether etcd serves data. */
const PROBE_BODY = { key: Buffer.from('/registry/').toString('base64'), range_end: Buffer.from('/registry0').toString('base64'), limit: 1, keys_only: true };

export async function probeEtcd(options: ProbeOptions): Promise<ProbeReport> {
  const endpoints: EndpointReport[] = [];
  const readers: EtcdConnection[] = [];
  for (const endpoint of options.endpoints) {
    const { report, reader } = await probeEndpoint(endpoint, options);
    endpoints.push(report);
    if (reader) readers.push(reader);
  }
  const report: ProbeReport = { endpoints };
  if (readers.length === 0) {
    report.secretsSkipped =
      options.cert && options.key
        ? 'no endpoint could be read with the given client certificate (see the endpoint errors)'
        : 'etcd asks for a client certificate: give --cert and --key (the API server\'s etcd client certificate) to see how Secrets are stored';
    return report;
  }
  const failures: string[] = [];
  for (const reader of readers) {
    try {
      report.secrets = await inspectSecrets(reader, options);
      return report;
    } catch (err) {
      if (!(err instanceof EtcdError)) throw err;
      failures.push(err.message);
    }
  }
  report.secretsSkipped = `reading the Secrets failed: ${failures.join('; ')}`;
  return report;
}

function parseEndpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EtcdError('unreachable', `"${text}" is not a URL; write it as https://HOST:2379`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EtcdError('unreachable', `"${text}": the scheme must be http or https`);
  if (!url.port) throw new EtcdError('unreachable', `"${text}" has no port; etcd's client port is usually 2379`);
  return url;
}

async function probeEndpoint(endpoint: string, options: ProbeOptions): Promise<{ report: EndpointReport; reader?: EtcdConnection }> {
  const report: EndpointReport = { url: endpoint };
  let url: URL;
  try {
    url = parseEndpoint(endpoint);
  } catch (err) {
    report.error = (err as Error).message;
    return { report };
  }
  const base = { verifyServer: false, timeoutMs: options.timeoutMs };
  const plainUrl = new URL(url.href);
  plainUrl.protocol = 'http:';
  const plainConn: EtcdConnection = { ...base, url: plainUrl };
  try {
    await postJson(plainConn, '/v3/kv/range', PROBE_BODY);
    report.plaintext = 'answered';
    return { report, reader: plainConn };
  } catch (err) {
    if (!(err instanceof EtcdError)) throw err;
    if (err.kind === 'denied') {
      // Plain HTTP etcd with its own user authentication: no TLS, and nothing readable without a user.
      report.plaintext = 'denied';
      report.error = `${err.message}; etcd user authentication is not supported by the probe, so Secrets were not read`;
      return { report };
    }
    // A TLS port answers plain HTTP with a refusal, a TLS alert or garbage; anything else ends the probe.
    const tlsLike = err.kind === 'refused' || err.kind === 'tls' || (url.protocol === 'https:' && (err.kind === 'not-etcd' || err.kind === 'timeout'));
    if (!tlsLike) {
      report.error = err.message;
      return { report };
    }
    report.plaintext = 'refused';
  }
  const tlsUrl = new URL(url.href);
  tlsUrl.protocol = 'https:';
  try {
    report.certificate = await inspectServerCertificate({ ...base, url: tlsUrl, ca: options.ca });
  } catch (err) {
    if (!(err instanceof EtcdError)) throw err;
    report.error = err.message;
    return { report };
  }
  const anonymous: EtcdConnection = { ...base, url: tlsUrl, ca: options.ca };
  try {
    await postJson(anonymous, '/v3/kv/range', PROBE_BODY);
    report.withoutClientCert = 'answered';
  } catch (err) {
    if (!(err instanceof EtcdError)) throw err;
    if (err.kind === 'denied') report.withoutClientCert = 'denied';
    if (err.kind === 'timeout' || err.kind === 'unreachable' || err.kind === 'not-etcd') {
      report.error = err.message;
      return { report };
    }
    else report.withoutClientCert = 'refused';
  }
  const verifyServer = !options.insecureSkipVerify;
  if (options.cert && options.key) {
    if (verifyServer && !report.certificate.trusted) {
      report.error = `not reading Secrets: the server certificate does not verify (${report.certificate.trustError ?? 'untrusted'}); give --cacert, or --insecure-skip-tls-verify`;
      return { report };
    }
    return { report, reader: { url: tlsUrl, ca: options.ca, cert: options.cert, key: options.key, verifyServer, timeoutMs: options.timeoutMs } };
  }
  return { report, reader: report.withoutClientCert === 'answered' ? anonymous : undefined };
}

async function inspectSecrets(conn: EtcdConnection, options: ProbeOptions): Promise<SecretsReport> {
  const prefix = `${(options.etcdPrefix ?? '/registry').replace(/\/+$/, '')}/secrets/`;
  const report: SecretsReport = { readFrom: conn.url.origin, total: 0, byStorage: {}, plain: [] };
  const providers = options.encryption ? providersFor(options.encryption, SECRETS).providers : undefined;
  if (providers) report.verification = { current: 0, plainReadable: 0, stale: [], unreadable: [] };
  const kms = providers && options.kms ? kmsReader({ ...options.kms, timeoutMs: options.timeoutMs }) : undefined;
  try {
    await forEachUnderPrefix(conn, prefix, { pageSize: options.pageSize ?? 100, keysOnly: false }, async (kv) => {
      const ref = secretRef(kv, prefix);
      const value = kv.value ?? Buffer.alloc(0);
      report.total++;
      const cls = classifyStoredValue(value);
      const storage = cls.encrypted ? cls.prefix : `plain (${storedObjectType(value)?.encoding ?? 'unrecognised'})`;
      report.byStorage[storage] = (report.byStorage[storage] ?? 0) + 1;
      if (!cls.encrypted) report.plain.push(ref);
      if (providers && report.verification) await verify(ref, value, providers, report.verification, kms);
    });
  } finally {
    kms?.close();
  }
  return report;
}

async function verify(ref: SecretRef, value: Buffer, providers: Provider[], out: NonNullable<SecretsReport['verification']>, kms: KmsReader | undefined): Promise<void> {
  const local = readStoredValue(value, ref.etcdKey, providers);
  // Values of a kms v2 provider go to its plugin when one may be called; everything else is read locally.
  const read = local.ok ? local : ((await kms?.read(value, ref.etcdKey, providers)) ?? local);
  if (!read.ok) {
    out.unreadable.push({ ...ref, reason: read.reason });
    return;
  }
  const keyName = 'keyId' in read ? `key ID ${read.keyId}` : read.key?.name;
  const type = storedObjectType(read.plaintext);
  if (type?.kind !== 'Secret') {
    out.unreadable.push({ ...ref, reason: `${describeReader(read.provider, keyName)} opens it, but the result is not a Secret (wrong key)` });
    return;
  }
  if (!read.stale) out.current++;
  else if (read.provider.type === 'identity') out.plainReadable++;
  else out.stale.push({ ...ref, readWith: describeReader(read.provider, keyName) });
}

function describeReader(provider: Provider, keyName: string | undefined): string {
  if (provider.type === 'kms') return `kms ${provider.kms?.apiVersion ?? ''} provider "${provider.kms?.name ?? ''}"${keyName ? ` (${keyName})` : ''}`;
  return keyName === undefined ? provider.type : `${provider.type} key "${keyName}"`;
}

function secretRef(kv: KeyValue, prefix: string): SecretRef {
  const etcdKey = kv.key.toString('utf8');
  const [namespace = '', ...rest] = etcdKey.slice(prefix.length).split('/');
  return { etcdKey, namespace, name: rest.join('/') };
}
