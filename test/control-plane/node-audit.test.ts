// Proof 8 of issue 12: the node audit reads the command lines of the test's real kube-apiserver and
// etcd from /proc while they run and judges the CIS 1.2 and 2 items from them; `probe apiserver`
// against the same server reports what its flags say. Both again after a restart with other flags.
//
// Other control planes may run on this machine (other test suites), so the audit is given a proc
// folder that holds only this test's two processes: links to their real /proc/PID entries.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Result } from '../../src/result/result.js';
import { runCli } from '../cli/run-cli.js';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from './harness.js';

const skip = controlPlaneUnavailable();
/** Suites the serving certificate (RSA) can use, given to --tls-cipher-suites. */
const SUITES = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'];

/**
 * What CIS 1.2 and 2 say of the flags scripts/control-plane.mjs starts the server with (kubeadm's, plus
 * audit log, encryption config and the two suites): each from the flag or its kube-apiserver default.
 */
const KUBEADM_LIKE: Record<string, 'pass' | 'fail' | 'warn' | 'manual'> = {
  // A failing CIS Manual item is a warn; one that needs judgement is manual.
  'apiserver-anonymous-auth-disabled': 'warn', // --anonymous-auth defaults to true (Manual in CIS)
  'apiserver-no-static-token-file': 'pass',
  'apiserver-deny-service-external-ips': 'warn', // DenyServiceExternalIPs is off by default (Manual)
  'apiserver-kubelet-client-certificate': 'pass',
  'apiserver-verifies-kubelet-certificates': 'fail', // kubeadm sets no --kubelet-certificate-authority
  'apiserver-authorization-not-always-allow': 'pass',
  'apiserver-authorization-includes-node': 'pass',
  'apiserver-authorization-includes-rbac': 'pass',
  'apiserver-event-rate-limit-enabled': 'warn', // not enabled (Manual)
  'apiserver-always-admit-disabled': 'pass',
  'apiserver-always-pull-images': 'warn', // not enabled (Manual)
  'apiserver-service-account-plugin-enabled': 'pass', // on by default, not disabled
  'apiserver-namespace-lifecycle-plugin-enabled': 'pass',
  'apiserver-node-restriction-plugin-enabled': 'pass',
  'apiserver-profiling-disabled': 'fail', // --profiling defaults to true
  'apiserver-audit-log-path': 'pass',
  'apiserver-audit-log-maxage': 'pass',
  'apiserver-audit-log-maxbackup': 'pass',
  'apiserver-audit-log-maxsize': 'pass',
  'apiserver-request-timeout-appropriate': 'manual', // default 60s: whether it suits is a judgement
  'apiserver-service-account-lookup': 'pass', // default true
  'apiserver-service-account-key-file': 'pass',
  'apiserver-etcd-client-certificate': 'pass',
  'apiserver-tls-serving-certificate': 'pass',
  'apiserver-client-ca-file': 'pass',
  'apiserver-etcd-ca-file': 'pass',
  'apiserver-encryption-provider-config': 'pass',
  'apiserver-strong-encryption-provider': 'pass', // aescbc
  'apiserver-strong-tls-ciphers': 'pass',
  'apiserver-no-extended-token-expiration': 'fail', // --service-account-extend-token-expiration defaults to true
  'etcd-client-tls': 'pass',
  'etcd-client-cert-auth': 'pass',
  'etcd-no-auto-tls': 'pass',
  'etcd-peer-tls': 'pass',
  'etcd-peer-client-cert-auth': 'pass',
  'etcd-no-peer-auto-tls': 'pass',
  'etcd-uses-own-ca': 'pass', // etcd's CA is not the cluster CA
};

const HARDENING = (pki: string) => [
  '--anonymous-auth=false', '--profiling=false', `--kubelet-certificate-authority=${pki}/ca.crt`,
  '--service-account-extend-token-expiration=false',
  '--enable-admission-plugins=NodeRestriction,PodSecurity,AlwaysPullImages,DenyServiceExternalIPs',
  '--tls-min-version=VersionTLS13', `--tls-cipher-suites=${SUITES.join(',')}`,
];
const HARDENED_NOW_PASS = [
  'apiserver-anonymous-auth-disabled', 'apiserver-profiling-disabled', 'apiserver-verifies-kubelet-certificates',
  'apiserver-no-extended-token-expiration', 'apiserver-always-pull-images', 'apiserver-deny-service-external-ips',
];

describe('node audit and API server probe of the real processes', { skip }, () => {
  let plane: ControlPlane;
  let proc: string;

  /** A proc folder with this test's etcd and kube-apiserver only (links to their live /proc entries). */
  const linkProcesses = () => {
    rmSync(proc, { recursive: true, force: true });
    mkdirSync(proc);
    for (const pid of [plane.env.pids.etcd, plane.env.pids.kubeApiserver]) symlinkSync(`/proc/${pid}`, path.join(proc, String(pid)));
  };
  const nodeAudit = async () => {
    linkProcesses();
    const run = await runCli(['scan', '--node', '--proc', proc, '--node-name', 'cp-1', '-f', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as Result;
    return Object.fromEntries(result.checks.filter((c) => c.id in KUBEADM_LIKE).map((c) => [c.id, c.status]));
  };
  /** What the probe saw (its checks' evidence) and how it judged it. */
  const probe = async () => {
    const run = await runCli(['probe', 'apiserver', plane.env.server, '--ca', `${plane.env.pki}/ca.crt`, '-f', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as Result;
    const evidence = (id: string) => result.checks.find((c) => c.id === id)?.evidence ?? [];
    return {
      statuses: Object.fromEntries(result.checks.map((c) => [c.id, c.status])),
      anonymous: Object.fromEntries(evidence('apiserver-rejects-anonymous-requests').map((e) => [e.subject.replace('anonymous GET ', ''), Number(e.value)])),
      tlsVersions: Object.fromEntries(evidence('apiserver-accepts-only-tls12-or-newer').map((e) => [e.subject, e.value])),
      cipherSuites: evidence('apiserver-accepts-only-strong-cipher-suites').map((e) => e.value).sort(),
    };
  };

  before(async () => {
    proc = path.join(mkdtempSync(path.join(tmpdir(), 'kh-proc-')), 'proc');
    plane = await startControlPlane({ apiserverFlags: [`--tls-cipher-suites=${SUITES.join(',')}`] });
  });
  after(async () => {
    await plane?.stop();
  });

  test('CIS 1.2 and 2 judged from the running processes, as their flags and defaults say', async () => {
    assert.deepEqual(await nodeAudit(), KUBEADM_LIKE);
  });

  test('probe apiserver: anonymous on, TLS 1.2 and 1.3, exactly the configured TLS 1.2 suites', async () => {
    const seen = await probe();
    assert.deepEqual(seen.tlsVersions, { TLSv1: 'refused', 'TLSv1.1': 'refused', 'TLSv1.2': 'accepted', 'TLSv1.3': 'accepted' });
    assert.deepEqual(seen.cipherSuites, [...SUITES].sort());
    // Anonymous requests are authenticated as system:anonymous: /version and /healthz are public
    // (system:public-info-viewer), discovery and metrics are not.
    assert.deepEqual(seen.anonymous, { '/version': 200, '/healthz': 200, '/api': 403, '/apis': 403, '/metrics': 403 });
    assert.deepEqual(seen.statuses, {
      'apiserver-rejects-anonymous-requests': 'fail',
      'apiserver-anonymous-cannot-read-api': 'pass',
      'apiserver-accepts-only-tls12-or-newer': 'pass',
      'apiserver-accepts-only-strong-cipher-suites': 'pass',
      'apiserver-serving-certificate-valid': 'pass',
    });
  });

  test('after a restart with hardened flags, both see the change', async () => {
    await plane.restart({ apiserverFlags: HARDENING(plane.env.pki) });
    const expected = { ...KUBEADM_LIKE, ...Object.fromEntries(HARDENED_NOW_PASS.map((id) => [id, 'pass'])) };
    assert.deepEqual(await nodeAudit(), expected);
    const seen = await probe();
    assert.deepEqual(seen.tlsVersions, { TLSv1: 'refused', 'TLSv1.1': 'refused', 'TLSv1.2': 'refused', 'TLSv1.3': 'accepted' });
    assert.deepEqual(seen.cipherSuites, []);
    assert.deepEqual(seen.anonymous, { '/version': 401, '/healthz': 401, '/api': 401, '/apis': 401, '/metrics': 401 });
    assert.equal(seen.statuses['apiserver-rejects-anonymous-requests'], 'pass');
    assert.equal(seen.statuses['apiserver-accepts-only-strong-cipher-suites'], 'pass');
  });
});
