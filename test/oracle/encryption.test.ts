// Encryption oracle: the real kube-apiserver writes Secrets with each provider kubeharden
// generates (aescbc, aesgcm, secretbox) and with kms v2 through a small plugin built with
// k8s.io/kms (test/oracle/kms-plugin); `etcd probe` must find them encrypted in etcd with the
// provider and key the configuration names, and kubeharden's read path must decrypt each stored
// value to the bytes written through the API. The staged rotation of `generate encryption-config
// --rotate` is carried out for real: the API server restarted with each stage, every Secret
// rewritten with `kubectl get secrets -A -o json | kubectl replace -f -`, every Secret readable
// at every stage and none lost. EncryptionConfigurations kubeharden calls invalid must stop the
// server from starting; every one it accepts must start.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { readEncryptionConfig, type EncryptionConfig, type LocalKeyProviderType } from '../../src/analysis/encryption/config.js';
import { readStoredValue } from '../../src/analysis/encryption/formats.js';
import { newEncryptionConfig, rotationPlan } from '../../src/analysis/encryption/generate.js';
import { forEachUnderPrefix, type EtcdConnection } from '../../src/sources/etcd/client.js';
import { probeEtcd } from '../../src/sources/etcd/probe.js';
import { kmsReader } from '../../src/sources/etcd/kms-read.js';
import { decodeKmsV2Object } from '../../src/analysis/encryption/kmsv2.js';
import { storedObjectType } from '../../src/analysis/encryption/stored-object.js';

type ProbeReport = Awaited<ReturnType<typeof probeEtcd>>;
import { REPO_ROOT } from '../helpers.js';
import { mapLimit } from './client.js';
import { kmsPlugin, kmsPluginUnavailable, startKmsPlugin } from './kms-plugin-build.js';
import { controlPlaneUnavailable, startPlane, type Plane } from './harness.js';

const skip = controlPlaneUnavailable();

interface Written {
  namespace: string;
  name: string;
  value: string;
}

function parseConfig(text: string): EncryptionConfig {
  return readEncryptionConfig(YAML.parse(text, { version: '1.1' }) as Record<string, unknown>);
}

function etcdTls(plane: Plane) {
  const e = plane.env.etcd;
  return { ca: readFileSync(e.cacert), cert: readFileSync(e.cert), key: readFileSync(e.key) };
}

async function probe(plane: Plane, config: EncryptionConfig): Promise<ProbeReport> {
  return probeEtcd({ endpoints: [plane.env.etcd.endpoint], ...etcdTls(plane), timeoutMs: 10_000, encryption: config });
}

/** Every stored Secret value in etcd, by etcd key. */
async function storedSecrets(plane: Plane): Promise<Map<string, Buffer>> {
  const conn: EtcdConnection = { url: new URL(plane.env.etcd.endpoint), ...etcdTls(plane), verifyServer: true, timeoutMs: 10_000 };
  const out = new Map<string, Buffer>();
  await forEachUnderPrefix(conn, '/registry/secrets/', { pageSize: 200, keysOnly: false }, (kv) => {
    out.set(kv.key.toString(), kv.value ?? Buffer.alloc(0));
  });
  return out;
}

async function writeSecrets(plane: Plane, namespace: string, count: number): Promise<Written[]> {
  await plane.client.must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, [409]);
  const secrets = Array.from({ length: count }, (_, i) => ({ namespace, name: `s-${i}`, value: `oracle-${randomBytes(12).toString('hex')}` }));
  await mapLimit(secrets, 8, (s) =>
    plane.client.must('POST', `/api/v1/namespaces/${namespace}/secrets`, {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: s.name }, stringData: { value: s.value },
    }),
  );
  return secrets;
}

/**
 * Deletes a namespace's Secrets while the configuration that wrote them is in force: the next test
 * starts the server with other keys, and Secrets it cannot read break its Secrets cache.
 */
async function deleteSecrets(plane: Plane, namespace: string): Promise<void> {
  await plane.client.must('DELETE', `/api/v1/namespaces/${namespace}/secrets`, undefined, [404]);
}

/** Every Secret written is readable through the API with its value. */
async function assertReadable(plane: Plane, secrets: Written[], stage: string): Promise<void> {
  const wrong: string[] = [];
  await mapLimit(secrets, 8, async (s) => {
    const res = await plane.client.request('GET', `/api/v1/namespaces/${s.namespace}/secrets/${s.name}`);
    const got = res.status === 200 ? Buffer.from(String(res.body.data?.value ?? ''), 'base64').toString() : `HTTP ${res.status}`;
    if (got !== s.value) wrong.push(`${s.namespace}/${s.name}: ${res.status === 200 ? 'another value' : got}`);
  });
  assert.deepEqual(wrong, [], `${stage}: every Secret readable with its value`);
}

/** kubeharden's read path opens each stored value with the configuration; the plaintext holds the value written, the stored bytes do not. */
async function assertDecrypts(plane: Plane, config: EncryptionConfig, secrets: Written[], expectPrefix: string): Promise<void> {
  const stored = await storedSecrets(plane);
  const providers = config.entries[0]!.providers;
  for (const s of secrets) {
    const key = `/registry/secrets/${s.namespace}/${s.name}`;
    const value = stored.get(key);
    assert.ok(value, `${key} is in etcd`);
    assert.ok(value.subarray(0, expectPrefix.length).toString('latin1') === expectPrefix, `${key} starts with ${expectPrefix}`);
    assert.ok(!value.includes(Buffer.from(s.value)), `${key}: the value is not in the stored bytes`);
    const read = readStoredValue(value, key, providers);
    assert.ok(read.ok, `${key}: ${read.ok ? '' : read.reason}`);
    assert.ok(read.plaintext.includes(Buffer.from(s.value)), `${key}: decrypts to the value written`);
  }
}

describe('encryption oracle: what the real kube-apiserver writes to etcd, read by kubeharden', { skip }, () => {
  let plane: Plane;
  let dir: string;
  let kms: ChildProcess | undefined;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kh-enc-oracle-'));
    plane = await startPlane();
  });
  after(async () => {
    kms?.kill('SIGTERM');
    await plane?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (text: string) => {
    const file = path.join(dir, `config-${randomUUID()}.yaml`);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };

  for (const provider of ['aescbc', 'aesgcm', 'secretbox'] as LocalKeyProviderType[]) {
    test(`generate encryption-config --provider ${provider}: Secrets are encrypted in etcd and decrypt to the values written`, async () => {
      const text = newEncryptionConfig(provider, ['secrets'], { keyName: `${provider}-key` });
      const config = parseConfig(text);
      assert.deepEqual(config.problems, []);
      await plane.restart({ encryptionConfig: write(text) });
      try {
        const secrets = await writeSecrets(plane, `enc-${provider}`, 20);
        await assertReadable(plane, secrets, provider);
        await assertDecrypts(plane, config, secrets, `k8s:enc:${provider}:v1:${provider}-key:`);
        const report = await probe(plane, config);
        assert.equal(report.secrets?.byStorage[`k8s:enc:${provider}:v1:${provider}-key:`], secrets.length, JSON.stringify(report.secrets?.byStorage));
        assert.ok(report.secrets!.plain.every((p) => !p.namespace.startsWith('enc-')), 'none of them plain');
        process.stderr.write(`encryption oracle (${provider}): ${secrets.length} Secrets encrypted and decrypted; etcd probe: ${JSON.stringify(report.secrets?.byStorage)}\n`);
      } finally {
        await deleteSecrets(plane, `enc-${provider}`);
      }
    });
  }

  test('generate encryption-config --rotate: every stage carried out for real, every Secret readable throughout', async () => {
    const start = newEncryptionConfig('aescbc', ['secrets'], { keyName: 'old-key' });
    const startFile = write(start);
    await plane.restart({ encryptionConfig: startFile });
    try {
      // Secrets written under the earlier providers are unreadable now (their keys are gone); rewrite the rotation's own set.
      const secrets = await writeSecrets(plane, 'rotation', 25);
      await assertReadable(plane, secrets, 'before rotation');
      const plan = rotationPlan(YAML.parse(start, { version: '1.1' }), { currentFile: startFile, keyName: 'new-key', provider: 'secretbox' });
      assert.equal(plan.stages.length, 3);
      const rewrite = async () => {
        const json = await plane.kubectl(['get', 'secrets', '-n', 'rotation', '-o', 'json']);
        await plane.kubectl(['replace', '-f', '-'], json);
      };
      const expected = ['k8s:enc:aescbc:v1:old-key:', 'k8s:enc:secretbox:v1:new-key:', 'k8s:enc:secretbox:v1:new-key:'];
      for (const [i, stage] of plan.stages.entries()) {
        const config = parseConfig(stage.text);
        assert.deepEqual(config.problems, [], stage.file);
        await plane.restart({ encryptionConfig: write(stage.text) });
        await assertReadable(plane, secrets, `${stage.file} before the rewrite`);
        await rewrite();
        await assertReadable(plane, secrets, `${stage.file} after the rewrite`);
        await assertDecrypts(plane, config, secrets, expected[i]!);
        const report = await probe(plane, config);
        const stale = report.secrets!.verification!.stale.filter((s) => s.namespace === 'rotation');
        const unreadable = report.secrets!.verification!.unreadable.filter((s) => s.namespace === 'rotation');
        assert.deepEqual([stale.length, unreadable.length], [0, 0], `${stage.file}: etcd probe finds every Secret current`);
      }
      const listed = JSON.parse(await plane.kubectl(['get', 'secrets', '-n', 'rotation', '-o', 'json'])).items.length;
      assert.equal(listed, secrets.length, 'no Secret lost');
      process.stderr.write(`encryption oracle (rotation aescbc → secretbox): 3 stages, ${secrets.length} Secrets readable at every stage\n`);
    } finally {
      await deleteSecrets(plane, 'rotation');
    }
  });

  test('kms v2 through a KMS plugin built with k8s.io/kms: etcd probe finds the Secrets kms-encrypted and, calling the plugin, decrypts them', { skip: kmsPluginUnavailable() }, async () => {
    const binary = kmsPlugin();
    assert.ok(binary, 'the KMS plugin is built');
    const started = await startKmsPlugin(binary, dir, randomBytes(32));
    kms = started.process;
    const socket = started.socket;
    const text = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - kms:
      apiVersion: v2
      name: oracle-kms
      endpoint: unix://${socket}
      timeout: 3s
  - identity: {}
`;
    const config = parseConfig(text);
    assert.deepEqual(config.problems, []);
    await plane.restart({ encryptionConfig: write(text) });
    try {
      const secrets = await writeSecrets(plane, 'enc-kms', 10);
      await assertReadable(plane, secrets, 'kms v2');
      const stored = await storedSecrets(plane);
      for (const s of secrets) {
        const value = stored.get(`/registry/secrets/${s.namespace}/${s.name}`)!;
        assert.ok(value.subarray(0, 64).toString('latin1').startsWith('k8s:enc:kms:v2:oracle-kms:'), 'stored with the kms v2 prefix');
        assert.ok(!value.includes(Buffer.from(s.value)));
      }
      const report = await probe(plane, config);
      assert.equal(report.secrets?.byStorage['k8s:enc:kms:v2:oracle-kms:'], secrets.length, JSON.stringify(report.secrets?.byStorage));
      const unreadable = report.secrets!.verification!.unreadable.filter((s) => s.namespace === 'enc-kms');
      // Without --kms-plugin, kubeharden does not call the plugin: it says so for each one rather than calling it plain or broken.
      assert.equal(unreadable.length, secrets.length);
      assert.ok(unreadable.every((u) => u.reason.includes('needs the KMS plugin')));

      // With the plugin: every stored value decodes as an EncryptedObject, its DEK seed is
      // unwrapped by the real plugin, and the data opens to the Secret written through the API.
      const reader = kmsReader({ sockets: new Map(), useConfigEndpoints: true, timeoutMs: 10_000 });
      const sourceTypes = new Set<string>();
      try {
        for (const s of secrets) {
          const key = `/registry/secrets/${s.namespace}/${s.name}`;
          const value = stored.get(key)!;
          sourceTypes.add(decodeKmsV2Object(value.subarray('k8s:enc:kms:v2:oracle-kms:'.length)).dekSourceType);
          const read = await reader.read(value, key, config.entries[0]!.providers);
          assert.ok(read?.ok, `${key}: ${read && !read.ok ? read.reason : 'no kms provider matched'}`);
          assert.equal(read.keyId, 'oracle-key-1');
          assert.equal(read.stale, false, 'written with the plugin\'s current key');
          assert.equal(storedObjectType(read.plaintext)?.kind, 'Secret');
          assert.ok(read.plaintext.includes(Buffer.from(s.value)), `${key}: decrypts to the value written`);
          // The etcd key is the AAD: the same value under another key does not open.
          const moved = await reader.read(value, `${key}-moved`, config.entries[0]!.providers);
          assert.ok(moved && !moved.ok && /authentication failed/.test(moved.reason), `${key} under another etcd key: ${JSON.stringify(moved)}`);
        }
      } finally {
        reader.close();
      }
      // v1.37 writes DEK seeds (KMSv2KDF is locked on), so the HKDF path is the one proven here.
      assert.deepEqual([...sourceTypes], ['HKDF_SHA256_XNONCE_AES_GCM_SEED']);

      const withPlugin = await probeEtcd({ endpoints: [plane.env.etcd.endpoint], ...etcdTls(plane), timeoutMs: 10_000, encryption: config, kms: { sockets: new Map(), useConfigEndpoints: true } });
      const v = withPlugin.secrets!.verification!;
      assert.deepEqual(v.unreadable.filter((s) => s.namespace === 'enc-kms'), [], 'every kms Secret decrypted by etcd probe');
      assert.deepEqual(v.stale.filter((s) => s.namespace === 'enc-kms'), []);
      assert.ok(v.current >= secrets.length, `${v.current} current`);

      // The CLI, as a user runs it on the control-plane host: the Secrets check passes, and no value is printed.
      const dir2 = mkdtempSync(path.join(os.tmpdir(), 'kh-kms-cli-'));
      try {
        const cfgFile = path.join(dir2, 'enc.yaml');
        writeFileSync(cfgFile, text);
        const e = plane.env.etcd;
        const cli = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/kubeharden.js'), 'etcd', 'probe', '--endpoints', e.endpoint, '--cacert', e.cacert, '--cert', e.cert, '--key', e.key, '--encryption-config', cfgFile, '--kms-plugin', '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(cli.status, 0, cli.stderr);
        for (const s of secrets) assert.ok(!cli.stdout.includes(s.value) && !cli.stderr.includes(s.value), 'no Secret value in the output');
        const result = JSON.parse(cli.stdout) as { findings: { message: string }[] };
        const kmsFindings = result.findings.filter((f) => f.message.includes('enc-kms/'));
        assert.deepEqual(kmsFindings.map((f) => f.message), [], 'no finding about the kms Secrets');
      } finally {
        rmSync(dir2, { recursive: true, force: true });
      }
      process.stderr.write(`encryption oracle (kms v2): ${secrets.length} Secrets stored as k8s:enc:kms:v2:oracle-kms:, DEK seeds unwrapped by the real plugin, all decrypted to the values written by etcd probe\n`);
    } finally {
      await deleteSecrets(plane, 'enc-kms');
    }
  });

  test('every EncryptionConfiguration kubeharden calls invalid stops the server; every one it accepts starts', async () => {
    const key = (n: number) => randomBytes(n).toString('base64');
    const cfg = (providers: string, resources = '[secrets]') =>
      `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: ${resources}\n  providers:\n${providers}`;
    const cases: [string, string][] = [
      ['aescbc with a 32-byte key (valid)', cfg(`  - aescbc:\n      keys: [{name: k, secret: "${key(32)}"}]\n  - identity: {}\n`)],
      ['aescbc with a 16-byte key (valid)', cfg(`  - aescbc:\n      keys: [{name: k, secret: "${key(16)}"}]\n`)],
      ['aescbc with a 20-byte key', cfg(`  - aescbc:\n      keys: [{name: k, secret: "${key(20)}"}]\n`)],
      ['aesgcm with a 24-byte key (valid)', cfg(`  - aesgcm:\n      keys: [{name: k, secret: "${key(24)}"}]\n`)],
      ['secretbox with a 16-byte key', cfg(`  - secretbox:\n      keys: [{name: k, secret: "${key(16)}"}]\n`)],
      ['a key that is not base64', cfg(`  - aescbc:\n      keys: [{name: k, secret: "not base64!"}]\n`)],
      ['a key without a name', cfg(`  - aescbc:\n      keys: [{secret: "${key(32)}"}]\n`)],
      ['a provider without keys', cfg(`  - aescbc:\n      keys: []\n`)],
      ['no providers', cfg(`  []\n`).replace('  providers:\n  []\n', '  providers: []\n')],
      ['two providers in one item', cfg(`  - aescbc:\n      keys: [{name: k, secret: "${key(32)}"}]\n    identity: {}\n`)],
      ['identity only (valid)', cfg(`  - identity: {}\n`)],
      ['the same resource twice', cfg(`  - identity: {}\n`, '[secrets, secrets]')],
      ['a wildcard of every resource (valid)', cfg(`  - identity: {}\n`, '["*.*"]')],
      ['a wildcard after a specific resource (valid)', cfg(`  - identity: {}\n`, '[secrets, "*.*"]')],
      ['a specific resource after the wildcard', cfg(`  - identity: {}\n`, '["*.*", secrets]')],
      ['a resource with a capital letter', cfg(`  - identity: {}\n`, '[Secrets]')],
      ['events', cfg(`  - aescbc:\n      keys: [{name: k, secret: "${key(32)}"}]\n`, '[events]')],
      ['a kms v2 provider without an endpoint', cfg(`  - kms:\n      apiVersion: v2\n      name: k\n`)],
      ['a kms v2 name with a colon', cfg(`  - kms:\n      apiVersion: v2\n      name: "a:b"\n      endpoint: unix:///tmp/none.sock\n`)],
      ['another kind', 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfig\nresources: []\n'],
    ];
    const disagreements: string[] = [];
    for (const [name, text] of cases) {
      const config = parseConfig(text);
      const kubeharden = config.problems.length === 0;
      const server = await plane.tryStart({ encryptionConfig: write(text) });
      if (kubeharden !== server.ready) {
        disagreements.push(`${name}: kubeharden ${kubeharden ? 'accepts' : `refuses (${config.problems[0]?.message})`}, the server ${server.ready ? 'starts' : 'refuses to start'}`);
      }
    }
    await plane.restart({ encryptionConfig: write(newEncryptionConfig('secretbox', ['secrets'], {})) });
    process.stderr.write(`encryption config validation: ${cases.length} configurations started, ${disagreements.length} disagreements\n`);
    assert.deepEqual(disagreements, []);
  });
});
