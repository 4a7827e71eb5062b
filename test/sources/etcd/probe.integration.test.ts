// Against a real etcd started by the test (see harness.ts). Skipped, with the reason, when etcd-server
// is not installed.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { readEncryptionConfig } from '../../../src/analysis/encryption/config.js';
import { sealValue } from '../../../src/analysis/encryption/formats.js';
import { storedObjectType } from '../../../src/analysis/encryption/stored-object.js';
import { probeEtcd } from '../../../src/sources/etcd/probe.js';
import { probeResult } from '../../../src/engine/probe-result.js';
import { renderJson } from '../../../src/report/json.js';
import { REPO_ROOT } from '../../helpers.js';
import { etcdUnavailable, etcdctlUnavailable, freePort, makePki, startEtcd, storedSecret, type Pki, type RunningEtcd } from './harness.js';

const skip = etcdUnavailable();
const TIMEOUT_MS = 5000;
const SECRET_VALUE = 'hunter2-do-not-print';

const keys = {
  secretbox: { name: 'sb-current', secret: Buffer.alloc(32, 0xa1) },
  aescbc: { name: 'cbc-old', secret: Buffer.alloc(32, 0xb2) },
  aesgcm: { name: 'gcm-old', secret: Buffer.alloc(16, 0xc3) },
  removed: { name: 'cbc-removed', secret: Buffer.alloc(32, 0xd4) },
};

/** The API server's configuration for these tests: secretbox writes; aescbc, aesgcm and identity still read. */
const CONFIG_RAW = parse(`
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - secretbox: {keys: [{name: ${keys.secretbox.name}, secret: ${keys.secretbox.secret.toString('base64')}}]}
  - aescbc: {keys: [{name: ${keys.aescbc.name}, secret: ${keys.aescbc.secret.toString('base64')}}]}
  - aesgcm: {keys: [{name: ${keys.aesgcm.name}, secret: ${keys.aesgcm.secret.toString('base64')}}]}
  - identity: {}
`);
const CONFIG = readEncryptionConfig(CONFIG_RAW);

/** Writes every storage format the API server produces, under the keys it uses. */
async function writeSecrets(etcd: RunningEtcd): Promise<void> {
  const at = (ns: string, name: string) => `/registry/secrets/${ns}/${name}`;
  const plain = (ns: string, name: string) => storedSecret(ns, name, { password: SECRET_VALUE });
  await etcd.put(at('default', 'plain-one'), plain('default', 'plain-one'));
  await etcd.put(at('team-a', 'plain-two'), plain('team-a', 'plain-two'));
  await etcd.put(at('default', 'sb'), sealValue('secretbox', keys.secretbox, plain('default', 'sb'), at('default', 'sb')));
  await etcd.put(at('default', 'cbc'), sealValue('aescbc', keys.aescbc, plain('default', 'cbc'), at('default', 'cbc')));
  await etcd.put(at('kube-system', 'gcm'), sealValue('aesgcm', keys.aesgcm, plain('kube-system', 'gcm'), at('kube-system', 'gcm')));
  await etcd.put(at('default', 'lost'), sealValue('aescbc', keys.removed, plain('default', 'lost'), at('default', 'lost')));
  // An aesgcm value copied under another key fails authentication, as it would for the API server.
  await etcd.put(at('default', 'moved'), sealValue('aesgcm', keys.aesgcm, plain('default', 'moved'), at('default', 'elsewhere')));
  await etcd.put(at('default', 'kms'), Buffer.concat([Buffer.from('k8s:enc:kms:v2:vault:'), Buffer.from([0x0a, 0x01, 0x00])]));
  await etcd.put('/registry/configmaps/default/not-a-secret', Buffer.from('k8s\0whatever'));
}

describe('etcd without TLS', { skip }, () => {
  let etcd: RunningEtcd;
  before(async () => {
    etcd = await startEtcd();
    await writeSecrets(etcd);
  });
  after(() => etcd?.stop());

  test('the harness writes what the API server writes: a protobuf Secret envelope', () => {
    assert.deepEqual(storedObjectType(storedSecret('ns', 'n', { a: 'b' })), { encoding: 'protobuf', apiVersion: 'v1', kind: 'Secret' });
  });

  test('reports plain HTTP and no client certificate, counts Secrets by storage prefix and names the plain ones', async () => {
    const report = await probeEtcd({ endpoints: [etcd.url], timeoutMs: TIMEOUT_MS });
    assert.deepEqual(report.endpoints, [{ url: etcd.url, plaintext: 'answered' }]);
    assert.ok(report.secrets);
    assert.equal(report.secrets.total, 8);
    assert.deepEqual(report.secrets.byStorage, {
      'plain (protobuf)': 2,
      'k8s:enc:secretbox:v1:sb-current:': 1,
      'k8s:enc:aescbc:v1:cbc-old:': 1,
      'k8s:enc:aescbc:v1:cbc-removed:': 1,
      'k8s:enc:aesgcm:v1:gcm-old:': 2,
      'k8s:enc:kms:v2:vault:': 1,
    });
    assert.deepEqual(report.secrets.plain.map((s) => `${s.namespace}/${s.name}`), ['default/plain-one', 'team-a/plain-two']);
    assert.equal(report.secrets.verification, undefined);

    const result = probeResult(report, { now: new Date(), expiryWarningDays: 30, caGiven: false, failOn: 'high' });
    const status = Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
    assert.deepEqual(status, {
      'etcd-client-port-requires-tls': 'fail',
      'etcd-client-port-requires-client-certificate': 'fail',
      'etcd-server-certificate-valid': 'skip',
      'etcd-secrets-encrypted': 'fail',
      'etcd-secrets-readable-with-config': 'skip',
      'etcd-secrets-on-current-key': 'skip',
    });
    assert.deepEqual(result.findings.filter((f) => f.check === 'etcd-secrets-encrypted').map((f) => f.location.path), [
      '/registry/secrets/default/plain-one',
      '/registry/secrets/team-a/plain-two',
    ]);
  });

  test('with the EncryptionConfiguration, every encrypted Secret is decrypted and classified as the API server would read it', async () => {
    const revisionBefore = await etcd.revision();
    const report = await probeEtcd({ endpoints: [etcd.url], timeoutMs: TIMEOUT_MS, encryption: CONFIG, pageSize: 3 });
    assert.equal(await etcd.revision(), revisionBefore, 'the probe wrote nothing');
    const v = report.secrets?.verification;
    assert.ok(v);
    assert.equal(v.current, 1, 'only the secretbox value is on the current write key');
    assert.equal(v.plainReadable, 2);
    assert.deepEqual(v.stale.map((s) => `${s.name} ← ${s.readWith}`), ['cbc ← aescbc key "cbc-old"', 'gcm ← aesgcm key "gcm-old"']);
    assert.deepEqual(
      v.unreadable.map((u) => `${u.name}: ${u.reason}`),
      [
        'kms: no configured provider has the key "vault" of kms v2',
        'lost: no configured provider has the key "cbc-removed" of aescbc v1',
        'moved: aesgcm key "gcm-old": aesgcm authentication failed (wrong key, or the value was copied from another etcd key)',
      ],
    );
    const result = probeResult(report, { now: new Date(), expiryWarningDays: 30, caGiven: false, failOn: 'high' });
    const json = renderJson(result);
    assert.ok(!json.includes(SECRET_VALUE) && !json.includes(Buffer.from(SECRET_VALUE).toString('base64')), 'no Secret value in the report');
    assert.ok(!json.includes(keys.secretbox.secret.toString('base64')), 'no key in the report');
  });

  test('several endpoints: an unreachable one is an error, the Secrets are read from the one that answers', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const report = await probeEtcd({ endpoints: [dead, etcd.url], timeoutMs: TIMEOUT_MS });
    assert.match(report.endpoints[0]?.error ?? '', /connection refused/);
    assert.equal(report.secrets?.readFrom, etcd.url);
    assert.equal(report.secrets?.total, 8);
  });

  test('CLI end to end: exit 1 on findings, JSON names Secrets but holds no value or key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kh-probe-'));
    try {
      const configFile = path.join(dir, 'enc.yaml');
      writeFileSync(configFile, stringify(CONFIG_RAW), { mode: 0o600 });
      const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), 'etcd', 'probe', '--endpoints', etcd.url, '--encryption-config', configFile, '--format', 'json'], { encoding: 'utf8' });
      assert.equal(run.status, 1, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.deepEqual(result.findings.filter((f: { check: string }) => f.check === 'etcd-secrets-encrypted').map((f: { resource: { name: string } }) => f.resource.name), ['plain-one', 'plain-two']);
      for (const secret of [SECRET_VALUE, Buffer.from(SECRET_VALUE).toString('base64'), ...Object.values(keys).map((k) => k.secret.toString('base64'))]) {
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Starts a TLS etcd with fresh certificates before the suite's tests and removes both after them. */
function tlsEtcd(clientCertAuth: boolean): { etcd: RunningEtcd; pki: Pki } {
  const state = {} as { etcd: RunningEtcd; pki: Pki };
  before(async () => {
    state.pki = makePki();
    state.etcd = await startEtcd(state.pki, { clientCertAuth });
    await writeSecrets(state.etcd);
  });
  after(async () => {
    await state.etcd?.stop();
    if (state.pki) rmSync(state.pki.dir, { recursive: true, force: true });
  });
  return state;
}

describe('etcd with TLS and --client-cert-auth', { skip }, () => {
  const env = tlsEtcd(true);

  test('without a client certificate: plain HTTP and certificate-less TLS are refused; the certificate verifies; Secrets are not read', async () => {
    const report = await probeEtcd({ endpoints: [env.etcd.url], ca: env.pki.ca, timeoutMs: TIMEOUT_MS });
    const [ep] = report.endpoints;
    assert.equal(ep?.error, undefined);
    assert.equal(ep?.plaintext, 'refused');
    assert.equal(ep?.withoutClientCert, 'refused');
    assert.equal(ep?.certificate?.trusted, true);
    assert.equal(ep?.certificate?.hostnameError, undefined);
    assert.equal(report.secrets, undefined);
    assert.match(report.secretsSkipped ?? '', /give --cert and --key/);
    const result = probeResult(report, { now: new Date(), expiryWarningDays: 30, caGiven: true, failOn: 'high' });
    assert.deepEqual(result.checks.map((c) => c.status), ['pass', 'pass', 'pass', 'skip', 'skip', 'skip']);
    assert.deepEqual(result.findings, []);
  });

  test('with the client certificate: reads and decrypts the Secrets', async () => {
    const report = await probeEtcd({ endpoints: [env.etcd.url], ca: env.pki.ca, cert: env.pki.clientCert, key: env.pki.clientKey, timeoutMs: TIMEOUT_MS, encryption: CONFIG });
    assert.equal(report.secrets?.total, 8);
    assert.equal(report.secrets?.plain.length, 2);
    assert.equal(report.secrets?.verification?.current, 1);
    assert.equal(report.secrets?.verification?.unreadable.length, 3);
  });

  test('a host name the certificate does not cover is a finding', async () => {
    const url = env.etcd.url.replace('127.0.0.1', 'localhost');
    const report = await probeEtcd({ endpoints: [url], ca: env.pki.ca, timeoutMs: TIMEOUT_MS });
    assert.match(report.endpoints[0]?.certificate?.hostnameError ?? '', /localhost/);
    const result = probeResult(report, { now: new Date(), expiryWarningDays: 30, caGiven: true, failOn: 'high' });
    const certFinding = result.findings.find((f) => f.check === 'etcd-server-certificate-valid');
    assert.match(certFinding?.message ?? '', /^https:\/\/localhost:\d+ server certificate does not cover the endpoint's host: .*localhost/);
  });

  test('the real certificate judged at a later date: near expiry, then expired', async () => {
    const report = await probeEtcd({ endpoints: [env.etcd.url], ca: env.pki.ca, timeoutMs: TIMEOUT_MS });
    const validTo = report.endpoints[0]?.certificate?.validTo;
    assert.ok(validTo);
    const at = (days: number) =>
      probeResult(report, { now: new Date(validTo.getTime() + days * 86_400_000), expiryWarningDays: 30, caGiven: true, failOn: 'high' })
        .findings.find((f) => f.check === 'etcd-server-certificate-valid')?.message ?? '';
    assert.match(at(-10.5), /server certificate expires in 10 days/);
    assert.match(at(1), /server certificate expired on/);
    assert.equal(at(-31), '');
  });

  test('without --cacert the certificate is reported but not judged as untrusted; client credentials are not sent to an unverified server', async () => {
    const report = await probeEtcd({ endpoints: [env.etcd.url], cert: env.pki.clientCert, key: env.pki.clientKey, timeoutMs: TIMEOUT_MS });
    assert.equal(report.endpoints[0]?.certificate?.trusted, false);
    assert.match(report.endpoints[0]?.error ?? '', /does not verify .*give --cacert, or --insecure-skip-tls-verify/);
    assert.equal(report.secrets, undefined);
    const insecure = await probeEtcd({ endpoints: [env.etcd.url], cert: env.pki.clientCert, key: env.pki.clientKey, timeoutMs: TIMEOUT_MS, insecureSkipVerify: true });
    assert.equal(insecure.secrets?.total, 8);
  });
});

describe('etcd with TLS but without --client-cert-auth', { skip }, () => {
  const env = tlsEtcd(false);

  test('TLS is required, but a client without a certificate reads everything', async () => {
    const report = await probeEtcd({ endpoints: [env.etcd.url], ca: env.pki.ca, timeoutMs: TIMEOUT_MS });
    assert.equal(report.endpoints[0]?.plaintext, 'refused');
    assert.equal(report.endpoints[0]?.withoutClientCert, 'answered');
    assert.equal(report.secrets?.total, 8, 'read without any credentials');
    const result = probeResult(report, { now: new Date(), expiryWarningDays: 30, caGiven: true, failOn: 'high' });
    const failing = result.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    assert.deepEqual(failing, ['etcd-client-port-requires-client-certificate', 'etcd-secrets-encrypted']);
  });
});

describe('etcd over plain HTTP with its own user authentication', { skip: skip ?? etcdctlUnavailable() }, () => {
  let etcd: RunningEtcd;
  before(async () => {
    etcd = await startEtcd();
    await writeSecrets(etcd);
    // The test enables etcd's authentication with etcdctl; the probe itself never writes.
    for (const args of [['user', 'add', 'root', '--new-user-password=kh-test-pw', '--interactive=false'], ['auth', 'enable']]) {
      const run = spawnSync('etcdctl', ['--endpoints', etcd.url, ...args], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
      assert.equal(run.status, 0, run.stderr);
    }
  });
  after(() => etcd?.stop());

  test('no TLS is still a finding when etcd refuses the anonymous request; the refusal is reported, not taken for safety', async () => {
    const report = await probeEtcd({ endpoints: [etcd.url], timeoutMs: TIMEOUT_MS });
    assert.equal(report.endpoints[0]?.plaintext, 'denied');
    assert.match(report.endpoints[0]?.error ?? '', /answered with an error: .*user authentication is not supported by the probe/);
    const result = probeResult(report, { now: new Date(), expiryWarningDays: 30, caGiven: false, failOn: 'high' });
    assert.deepEqual(result.checks.filter((c) => c.status === 'fail').map((c) => c.id), ['etcd-client-port-requires-tls', 'etcd-client-port-requires-client-certificate']);
    assert.match(result.findings[0]?.message ?? '', /its user authentication refused the probe/);
  });
});
