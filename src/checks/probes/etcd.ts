// Turns a probe report into the Result every reporter renders: one check result per probe check,
// findings per endpoint or per Secret (names only), evidence with the counts by storage prefix.

import { probeCatalog, type ProbeCheck, type ProbeJudgeOptions, type ProbeOutcome } from '../templates/probe.js';
import type { Finding } from '../../result/result.js';
import type { ProbeReport, SecretRef } from '../../inventory/probe-observations.js';

const ETCD_PROBE_CHECKS = {
  tls: {
    id: 'etcd-client-port-requires-tls',
    rationale:
      'etcd holds every object of the cluster, Secrets included. Over plain HTTP anyone on the network path reads and changes it, and sees the credentials clients send.',
    title: 'etcd client port does not answer without TLS',
    severity: 'critical',
    controls: ['cis:2.1', 'nsa:N9'],
    remediation: 'Serve clients over TLS only: --listen-client-urls=https://…, --cert-file and --key-file.',
  },
  clientCert: {
    id: 'etcd-client-port-requires-client-certificate',
    rationale:
      'Without client-certificate authentication any client that reaches the port reads and writes all cluster state, bypassing RBAC, admission and audit logging: more than cluster-admin.',
    title: 'etcd client port does not answer without a client certificate',
    severity: 'critical',
    controls: ['cis:2.2', 'nsa:N9'],
    remediation: 'Set --client-cert-auth=true and --trusted-ca-file to etcd\'s own CA, so only the API server (holding a client certificate of that CA) can read etcd.',
  },
  serverCert: {
    id: 'etcd-server-certificate-valid',
    rationale: "Clients trust etcd by its certificate. One that is not valid for the endpoint or has expired breaks the API server's connection or teaches operators to skip verification; one near expiry is an outage waiting to happen.",
    title: 'etcd server certificate is valid for the endpoint and not near expiry',
    severity: 'high',
    controls: ['nsa:N9', 'nsa:N11'],
    remediation: 'Issue etcd a serving certificate from its CA whose SANs include every client address (kubeadm certs renew etcd-server), and renew it before it expires.',
  },
  secretsEncrypted: {
    id: 'etcd-secrets-encrypted',
    rationale:
      'Without encryption at rest, Secrets lie in etcd and in its backups only base64-encoded: whoever gets a copy of the data directory or a snapshot reads every credential of the cluster.',
    title: 'Secrets stored in etcd are encrypted',
    severity: 'high',
    controls: ['cis:1.2.28', 'nsa:N12'],
    remediation: 'Configure encryption at rest with an encrypting provider first (kubeharden generate encryption-config), then rewrite every Secret: kubectl get secrets --all-namespaces -o json | kubectl replace -f -',
  },
  secretsReadable: {
    id: 'etcd-secrets-readable-with-config',
    rationale:
      'A stored Secret that no configured key decrypts cannot be read by the API server: the workloads that use it fail, and its data may be lost with the key that wrote it.',
    title: 'Every stored Secret decrypts with the EncryptionConfiguration',
    severity: 'high',
    controls: ['nsa:N12'],
    remediation: 'Put the missing key (or identity, for plain values) back into the configuration until those Secrets are rewritten or deleted; the API server cannot read them now.',
  },
  secretsCurrentKey: {
    id: 'etcd-secrets-on-current-key',
    rationale:
      'After a key rotation, Secrets still encrypted with an old key keep that key necessary; the old key cannot be retired (or its exposure contained) until they are rewritten.',
    title: 'Stored Secrets are encrypted with the current write key',
    severity: 'medium',
    controls: ['nsa:N12'],
    remediation: 'Rewrite every Secret so it is re-encrypted with the current key: kubectl get secrets --all-namespaces -o json | kubectl replace -f -',
  },
} satisfies Record<string, ProbeCheck>;

/** The probe's checks as catalog entries, so `checks list`, `checks explain` and the docs show them. */
export const ETCD_PROBE_CHECK_CATALOG = probeCatalog(ETCD_PROBE_CHECKS, 'etcd', 'a live etcd endpoint (`kubeharden etcd probe`)');

type ProbeResultOptions = ProbeJudgeOptions;
type Outcome = ProbeOutcome;

/** Judges what the etcd probe saw: one outcome per etcd probe check. */
export function judgeEtcdProbe(report: ProbeReport, options: ProbeJudgeOptions): ProbeOutcome[] {
  return [
    ...endpointOutcomes(report, options),
    secretsEncryptedOutcome(report),
    ...verificationOutcomes(report),
  ];
}

const endpointResource = (url: string): Finding['resource'] => ({ apiVersion: 'v1', kind: 'EtcdEndpoint', name: url });

function tally(check: ProbeCheck, results: { url: string; verdict?: 'pass' | string }[], skipReason: string): Outcome {
  const decided = results.filter((r) => r.verdict !== undefined);
  const failed = decided.filter((r) => r.verdict !== 'pass');
  return {
    check,
    status: decided.length === 0 ? 'skip' : failed.length ? 'fail' : 'pass',
    passed: decided.length - failed.length,
    failed: failed.length,
    ...(decided.length === 0 ? { reason: skipReason } : {}),
    findings: failed.map((r) => ({ message: r.verdict as string, resource: endpointResource(r.url), location: r.url, path: '' })),
  };
}

function endpointOutcomes(report: ProbeReport, options: ProbeResultOptions): Outcome[] {
  const eps = report.endpoints;
  const tls = tally(
    ETCD_PROBE_CHECKS.tls,
    eps.map((e) => ({
      url: e.url,
      verdict:
        e.plaintext === undefined
          ? undefined
          : e.plaintext === 'answered'
            ? `${e.url} serves etcd over plain HTTP: anyone who reaches the port reads and writes the whole cluster state`
            : e.plaintext === 'denied'
              ? `${e.url} serves etcd over plain HTTP (its user authentication refused the probe): passwords, tokens and data cross the network in clear`
              : 'pass',
    })),
    'no endpoint could be reached',
  );
  const clientCert = tally(
    ETCD_PROBE_CHECKS.clientCert,
    eps.map((e) => ({
      url: e.url,
      verdict:
        e.plaintext === 'answered' || e.plaintext === 'denied'
          ? `${e.url} answers over plain HTTP, so it asks for no client certificate at all`
          : e.withoutClientCert === undefined
            ? undefined
            : e.withoutClientCert === 'answered'
              ? `${e.url} answers a TLS client without a certificate: anyone who reaches the port reads the whole cluster state`
              : e.withoutClientCert === 'denied'
                ? `${e.url} accepts TLS clients without a certificate (only etcd's user authentication stopped the probe); set --client-cert-auth=true`
                : 'pass',
    })),
    'no endpoint could be reached',
  );
  const cert = tally(
    ETCD_PROBE_CHECKS.serverCert,
    eps.map((e) => ({ url: e.url, verdict: e.certificate ? certificateProblems(e.url, e.certificate, options) ?? 'pass' : undefined })),
    'no endpoint served TLS',
  );
  cert.evidence = eps.flatMap((e) =>
    e.certificate
      ? [{ subject: `${e.url} server certificate`, value: `CN=${e.certificate.subject}; ${e.certificate.subjectAltNames}; valid ${e.certificate.validFrom.toISOString()} to ${e.certificate.validTo.toISOString()}${options.caGiven ? '' : '; chain not verified (no --cacert)'}` }]
      : [],
  );
  return [tls, clientCert, cert];
}

function certificateProblems(url: string, cert: NonNullable<ProbeReport['endpoints'][number]['certificate']>, options: ProbeResultOptions): string | undefined {
  const problems: string[] = [];
  const days = (cert.validTo.getTime() - options.now.getTime()) / 86_400_000;
  if (days < 0) problems.push(`expired on ${cert.validTo.toISOString()}`);
  else if (days < options.expiryWarningDays) problems.push(`expires in ${Math.floor(days)} days (${cert.validTo.toISOString()})`);
  if (cert.validFrom.getTime() > options.now.getTime()) problems.push(`not valid before ${cert.validFrom.toISOString()}`);
  if (cert.hostnameError) problems.push(`does not cover the endpoint's host: ${cert.hostnameError}`);
  if (options.caGiven && !cert.trusted) problems.push(`does not verify against --cacert: ${cert.trustError ?? 'untrusted'}`);
  return problems.length ? `${url} server certificate ${problems.join('; ')}` : undefined;
}

const secretResource = (s: SecretRef): Finding['resource'] => ({ apiVersion: 'v1', kind: 'Secret', namespace: s.namespace, name: s.name });

function secretsEncryptedOutcome(report: ProbeReport): Outcome {
  const s = report.secrets;
  if (!s) return { check: ETCD_PROBE_CHECKS.secretsEncrypted, status: 'skip', passed: 0, failed: 0, reason: report.secretsSkipped, findings: [] };
  const evidence = Object.entries(s.byStorage).map(([storage, n]) => ({ subject: `Secrets stored as ${storage}`, value: String(n), source: s.readFrom }));
  return {
    check: ETCD_PROBE_CHECKS.secretsEncrypted,
    status: s.total === 0 ? 'skip' : s.plain.length ? 'fail' : 'pass',
    passed: s.total - s.plain.length,
    failed: s.plain.length,
    ...(s.total === 0 ? { reason: 'no Secrets under the prefix (is --etcd-prefix right?)' } : {}),
    evidence,
    findings: s.plain.map((p) => ({
      message: `Secret ${p.namespace}/${p.name} is stored in etcd unencrypted`,
      resource: secretResource(p),
      location: s.readFrom,
      path: p.etcdKey,
    })),
  };
}

function verificationOutcomes(report: ProbeReport): Outcome[] {
  const s = report.secrets;
  const v = s?.verification;
  if (!s || !v) {
    const reason = s ? 'give --encryption-config FILE to check that every Secret decrypts with it' : report.secretsSkipped;
    return [ETCD_PROBE_CHECKS.secretsReadable, ETCD_PROBE_CHECKS.secretsCurrentKey].map((check) => ({ check, status: 'skip', passed: 0, failed: 0, reason, findings: [] }));
  }
  const readable: Outcome = {
    check: ETCD_PROBE_CHECKS.secretsReadable,
    status: s.total === 0 ? 'skip' : v.unreadable.length ? 'fail' : 'pass',
    passed: s.total - v.unreadable.length,
    failed: v.unreadable.length,
    evidence: [{ subject: 'Secrets read as the API server would', value: `${v.current} current, ${v.plainReadable} plain (read by identity), ${v.stale.length} on an older key or provider, ${v.unreadable.length} unreadable` }],
    findings: v.unreadable.map((u) => ({ message: `Secret ${u.namespace}/${u.name} cannot be read with the configuration: ${u.reason}`, resource: secretResource(u), location: s.readFrom, path: u.etcdKey })),
  };
  const readableCount = s.total - v.unreadable.length;
  const current: Outcome = {
    check: ETCD_PROBE_CHECKS.secretsCurrentKey,
    status: readableCount === 0 ? 'skip' : v.stale.length ? 'fail' : 'pass',
    passed: readableCount - v.stale.length,
    failed: v.stale.length,
    ...(readableCount === 0 ? { reason: 'no Secret could be read with the configuration' } : {}),
    findings: v.stale.map((st) => ({
      message: `Secret ${st.namespace}/${st.name} is read with ${st.readWith}, not the current write provider/key: it was not rewritten since the last change`,
      resource: secretResource(st),
      location: s.readFrom,
      path: st.etcdKey,
    })),
  };
  return [readable, current];
}
