// Turns an API server probe report into the Result every reporter renders.

import { probeCatalog, type ProbeCheck, type ProbeJudgeOptions, type ProbeOutcome } from '../templates/probe.js';
import type { Evidence, Finding } from '../../result/result.js';
import type { ApiServerProbeReport } from '../../inventory/probe-observations.js';

/** The cipher suites CIS 1.2.29 accepts (TLS 1.3 suites are always strong). */
export const CIS_STRONG_SUITES = new Set([
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
]);



const APISERVER_PROBE_CHECKS = {
  anonymous: {
    id: 'apiserver-rejects-anonymous-requests',
    rationale:
      'Anonymous requests reach the authorizer as system:anonymous; every binding to it or to system:unauthenticated is then open to anyone who reaches the port, which the guides count among the first things an attacker tries.',
    title: 'The API server rejects requests without credentials (401)',
    severity: 'medium',
    controls: ['cis:1.2.1', 'nsa:A1'],
    remediation: 'Set --anonymous-auth=false on the API server (or anonymous.enabled: false in its AuthenticationConfiguration; keep only the health paths under anonymous.conditions if probes need them).',
  },
  anonymousRead: {
    id: 'apiserver-anonymous-cannot-read-api',
    rationale:
      'API discovery, /metrics and the rest tell an attacker the exact version, the installed extensions and the workload layout, and any broader read is data leaked to the whole network.',
    title: 'Anonymous requests cannot read API discovery or metrics',
    severity: 'high',
    controls: ['cis:1.2.1', 'nsa:A1'],
    remediation: 'Turn anonymous authentication off, and remove every RoleBinding or ClusterRoleBinding to system:anonymous or system:unauthenticated (other than system:public-info-viewer).',
  },
  tlsVersion: {
    id: 'apiserver-accepts-only-tls12-or-newer',
    rationale:
      'TLS 1.0 and 1.1 have known weaknesses and no modern client needs them; accepting them lets a network attacker downgrade connections that carry credentials.',
    title: 'The API server accepts only TLS 1.2 and 1.3',
    severity: 'high',
    controls: ['nsa:N11'],
    remediation: 'Set --tls-min-version=VersionTLS12 (or VersionTLS13) on the API server.',
  },
  ciphers: {
    id: 'apiserver-accepts-only-strong-cipher-suites',
    rationale:
      'CBC-mode, RSA key-exchange and 3DES suites lack forward secrecy or have practical attacks; CIS 1.2.29 lists the suites to allow.',
    title: 'The API server accepts only strong TLS cipher suites',
    severity: 'medium',
    controls: ['cis:1.2.29', 'nsa:N11'],
    remediation: 'Set --tls-cipher-suites to ECDHE suites with AES-GCM or ChaCha20-Poly1305 only, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305.',
  },
  certificate: {
    id: 'apiserver-serving-certificate-valid',
    rationale:
      'Clients trust the API server by its certificate. One that is expired, names the wrong host or comes from an unknown CA breaks clients, or teaches people to skip verification and so to accept a man in the middle.',
    title: 'The API server certificate is valid, trusted, names the host, and is not near expiry',
    severity: 'high',
    controls: ['nsa:N8'],
    remediation: 'Serve a certificate from the cluster CA whose SANs include every address clients use (kubeadm certs renew apiserver), and renew it before it expires.',
  },
} satisfies Record<string, ProbeCheck>;

/** The probe's checks as catalog entries, so `checks list`, `checks explain` and the docs show them. */
export const APISERVER_PROBE_CHECK_CATALOG = probeCatalog(APISERVER_PROBE_CHECKS, 'control-plane', 'an API server endpoint seen from the network (`kubeharden probe apiserver`)');

/** Judges what the API server probe saw: one outcome per API server probe check. */
export function judgeApiServerProbe(report: ApiServerProbeReport, options: ProbeJudgeOptions): ProbeOutcome[] {
  const resource: Finding['resource'] = { apiVersion: 'v1', kind: 'APIServerEndpoint', name: report.url };
  const outcomes: ProbeOutcome[] = [];
  const record = (check: ProbeCheck, problems: { message: string; path: string }[], evidence: Evidence[], skip?: string) => {
    outcomes.push({
      check,
      status: skip ? 'skip' : problems.length ? 'fail' : 'pass', passed: skip || problems.length ? 0 : 1, failed: problems.length ? 1 : 0,
      ...(skip ? { reason: skip } : {}), evidence,
      findings: problems.map((p) => ({ message: p.message, resource, location: report.url, path: p.path })),
    });
  };
  const unreachable = report.error ? `the server could not be probed: ${report.error}` : undefined;

  const answers = report.anonymous.filter((a) => a.status !== undefined);
  const answered = (a: { status?: number }) => a.status !== 401;
  const anonymousEvidence = report.anonymous.map((a) => ({ subject: `anonymous GET ${a.path}`, value: a.status !== undefined ? String(a.status) : a.error }));
  record(
    APISERVER_PROBE_CHECKS.anonymous,
    answers.some(answered)
      ? [{ path: 'anonymous', message: `${report.url} authenticates requests without credentials as system:anonymous (${answers.filter(answered).map((a) => `${a.path} → ${a.status}`).join(', ')}); 401 would mean anonymous authentication is off` }]
      : [],
    anonymousEvidence,
    unreachable ?? (answers.length ? undefined : 'no anonymous request got an answer'),
  );
  const readable = answers.filter((a) => a.status === 200 && ['/api', '/apis', '/metrics'].includes(a.path));
  record(
    APISERVER_PROBE_CHECKS.anonymousRead,
    readable.map((a) => ({ path: a.path, message: `${report.url}${a.path} answers 200 to a request without credentials: anyone who reaches the server can read ${a.path === '/metrics' ? 'its metrics' : 'its API discovery'}` })),
    anonymousEvidence,
    unreachable ?? (answers.length ? undefined : 'no anonymous request got an answer'),
  );

  const versionEvidence = Object.entries(report.tlsVersions).map(([v, ok]) => ({ subject: v, value: ok === undefined ? 'could not tell' : ok ? 'accepted' : 'refused' }));
  const oldVersions = ['TLSv1', 'TLSv1.1'].filter((v) => report.tlsVersions[v] === true);
  const undecided = ['TLSv1', 'TLSv1.1'].some((v) => report.tlsVersions[v] === undefined);
  record(
    APISERVER_PROBE_CHECKS.tlsVersion,
    oldVersions.map((v) => ({ path: v, message: `${report.url} accepts ${v === 'TLSv1' ? 'TLS 1.0' : 'TLS 1.1'}, which is deprecated (RFC 8996); set --tls-min-version=VersionTLS12` })),
    versionEvidence,
    unreachable ?? (!oldVersions.length && undecided ? 'the TLS 1.0/1.1 handshakes failed for another reason than a refusal' : undefined),
  );

  const weak = report.cipherSuites.filter((s) => !CIS_STRONG_SUITES.has(s));
  record(
    APISERVER_PROBE_CHECKS.ciphers,
    weak.map((s) => ({ path: s, message: `${report.url} accepts the cipher suite ${s}, which CIS 1.2.29 does not list as strong (${/CBC|RC4|3DES|DES|NULL/.test(s) ? 'CBC-mode or broken cipher' : 'no forward secrecy or weak mode'})` })),
    report.cipherSuites.map((s) => ({ subject: 'accepted cipher suite', value: s })),
    unreachable ?? (report.cipherSuites.length || report.tlsVersions['TLSv1.3'] ? undefined : 'no TLS 1.2 suite was accepted and TLS 1.3 was not either'),
  );

  const cert = report.certificate;
  const certProblems: { message: string; path: string }[] = [];
  if (cert) {
    const days = Math.floor((cert.validTo.getTime() - options.now.getTime()) / 86_400_000);
    if (cert.validTo < options.now) certProblems.push({ path: 'validTo', message: `the certificate of ${report.url} expired on ${cert.validTo.toISOString().slice(0, 10)}` });
    else if (days < options.expiryWarningDays) certProblems.push({ path: 'validTo', message: `the certificate of ${report.url} expires in ${days} days (${cert.validTo.toISOString().slice(0, 10)})` });
    if (cert.validFrom > options.now) certProblems.push({ path: 'validFrom', message: `the certificate of ${report.url} is not valid before ${cert.validFrom.toISOString()}` });
    if (cert.hostnameError) certProblems.push({ path: 'subjectAltNames', message: `the certificate of ${report.url} does not name the host: ${cert.hostnameError}` });
    if (options.caGiven && !cert.trusted) certProblems.push({ path: 'issuer', message: `the certificate of ${report.url} does not verify against the given CA (${cert.trustError ?? 'untrusted'})` });
  }
  record(
    APISERVER_PROBE_CHECKS.certificate,
    certProblems,
    cert ? [{ subject: 'subject', value: cert.subject }, { subject: 'subjectAltNames', value: cert.subjectAltNames }, { subject: 'validTo', value: cert.validTo.toISOString() }] : [],
    unreachable,
  );

  return outcomes;
}
