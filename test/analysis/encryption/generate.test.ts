import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { SECRETS, providersFor, readEncryptionConfig } from '../../../src/analysis/encryption/config.js';
import { GenerateError, newEncryptionConfig, rewriteCommand, rotationPlan } from '../../../src/analysis/encryption/generate.js';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../../helpers.js';

const NOW = new Date('2026-03-04T05:06:07Z');
let counter = 0;
/** Deterministic distinct "random" bytes, so tests can tell keys apart. */
const random = (size: number) => Buffer.alloc(size, ++counter);

test('a new configuration: the provider with one fresh 32-byte key writes, identity reads; it passes its own validation', () => {
  for (const provider of ['secretbox', 'aescbc', 'aesgcm'] as const) {
    const raw = parse(newEncryptionConfig(provider, ['secrets', 'configmaps'], { now: NOW }));
    const config = readEncryptionConfig(raw);
    assert.deepEqual(config.problems, []);
    const choice = providersFor(config, SECRETS);
    assert.deepEqual(choice.providers.map((p) => p.type), [provider, 'identity']);
    assert.equal(choice.providers[0]?.keys[0]?.name, 'key-20260304');
    assert.equal(choice.providers[0]?.keys[0]?.secret?.length, 32);
  }
  const a = parse(newEncryptionConfig('secretbox', ['secrets']));
  const b = parse(newEncryptionConfig('secretbox', ['secrets']));
  assert.notEqual(a.resources[0].providers[0].secretbox.keys[0].secret, b.resources[0].providers[0].secretbox.keys[0].secret, 'keys come from a random source');
});

test('invalid --resources are refused with the API server\'s reason', () => {
  assert.throws(() => newEncryptionConfig('secretbox', ['*']), (e: Error) => e instanceof GenerateError && /use '\*\.'/.test(e.message));
  assert.throws(() => newEncryptionConfig('secretbox', ['secrets', '*.']), /overlapping/);
  assert.throws(() => newEncryptionConfig('secretbox', []), /at least one/);
});

function keysOf(raw: Record<string, unknown>, provider: string): string[] {
  const config = readEncryptionConfig(raw);
  assert.deepEqual(config.problems, []);
  return providersFor(config, SECRETS).providers.flatMap((p) => (p.type === provider ? p.keys.map((k) => k.name) : []));
}

test('rotation of the same provider: new key second, then first, then the old one removed; other keys and providers kept', () => {
  const current = parse(newEncryptionConfig('aescbc', ['secrets'], { now: NOW, random, keyName: 'old' }));
  current.resources[0].providers[0].aescbc.keys.push({ name: 'older', secret: Buffer.alloc(32, 9).toString('base64') });
  const plan = rotationPlan(current, { now: NOW, random, currentFile: 'enc.yaml' });
  const stages = plan.stages.map((s) => parse(s.text));
  assert.deepEqual(plan.stages.map((s) => s.file), ['stage-1-add-key.yaml', 'stage-2-use-key.yaml', 'stage-3-remove-old-key.yaml']);
  assert.deepEqual(keysOf(stages[0], 'aescbc'), ['old', 'key-20260304', 'older']);
  assert.deepEqual(keysOf(stages[1], 'aescbc'), ['key-20260304', 'old', 'older']);
  assert.deepEqual(keysOf(stages[2], 'aescbc'), ['key-20260304', 'older']);
  assert.deepEqual(stages.map((s) => s.resources[0].providers.at(-1)), [{ identity: {} }, { identity: {} }, { identity: {} }]);
  const newSecret = stages[0].resources[0].providers[0].aescbc.keys[1].secret;
  assert.equal(stages[1].resources[0].providers[0].aescbc.keys[0].secret, newSecret, 'the same new key in every stage');
  assert.match(plan.instructions, /kubectl get secrets --all-namespaces -o json \| kubectl replace -f -/);
  assert.ok(!plan.instructions.includes(newSecret), 'instructions carry no key material');
});

test('rotation to another provider stages the provider itself; a taken key name gets a suffix', () => {
  const current = parse(newEncryptionConfig('aescbc', ['secrets'], { now: NOW, random }));
  const plan = rotationPlan(current, { now: NOW, random, provider: 'secretbox', currentFile: 'enc.yaml' });
  const types = plan.stages.map((s) => parse(s.text).resources[0].providers.map((p: object) => Object.keys(p)[0]));
  assert.deepEqual(types, [['aescbc', 'secretbox', 'identity'], ['secretbox', 'aescbc', 'identity'], ['secretbox', 'identity']]);
  const same = rotationPlan(current, { now: NOW, random, currentFile: 'enc.yaml' });
  assert.deepEqual(keysOf(parse(same.stages[1]!.text), 'aescbc'), ['key-20260304-2', 'key-20260304']);
});

test('rotation refuses invalid files and configurations without a local write key', () => {
  const bad = parse(newEncryptionConfig('secretbox', ['secrets'], { now: NOW }));
  bad.resources[0].providers[0].secretbox.keys[0].secret = 'c2hvcnQ=';
  assert.throws(() => rotationPlan(bad, { currentFile: 'enc.yaml' }), /not a configuration the API server accepts/);
  const identityFirst = parse(newEncryptionConfig('secretbox', ['secrets'], { now: NOW }));
  identityFirst.resources[0].providers.reverse();
  assert.throws(() => rotationPlan(identityFirst, { currentFile: 'enc.yaml' }), /no entry of enc.yaml writes with a local key/);
});

test('rewrite commands for exact resources and wildcards', () => {
  assert.equal(rewriteCommand('deployments.apps'), 'kubectl get deployments.apps --all-namespaces -o json | kubectl replace -f -');
  assert.match(rewriteCommand('*.apps'), /^kubectl api-resources --api-group=apps --verbs=list,update -o name \| xargs/);
  assert.match(rewriteCommand('*.'), /--api-group=''/);
  assert.match(rewriteCommand('*.*'), /^kubectl api-resources  ?--verbs/);
});

test('CLI: writes mode-600 files, prints no key, refuses stdout and overwriting', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-gen-'));
  let printed = '';
  const cli = (...args: string[]) => {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), 'generate', 'encryption-config', ...args], { encoding: 'utf8' });
    printed += run.stdout + run.stderr;
    return run.status;
  };
  try {
    const file = path.join(dir, 'enc.yaml');
    assert.equal(cli('-o', file), 0);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(cli('-o', file), 2, 'exists without --force');
    assert.equal(cli(), 2, 'no --output');
    assert.equal(cli('--rotate', file, '--output-dir', path.join(dir, 'rot')), 0);
    for (const f of ['stage-1-add-key.yaml', 'stage-2-use-key.yaml', 'stage-3-remove-old-key.yaml']) {
      assert.equal(statSync(path.join(dir, 'rot', f)).mode & 0o777, 0o600);
    }
    writeFileSync(path.join(dir, 'junk.yaml'), 'kind: [');
    assert.equal(cli('--rotate', path.join(dir, 'junk.yaml')), 2);
    const secrets = [file, path.join(dir, 'rot', 'stage-1-add-key.yaml')].flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/secret: (\S+)/g)].map((m) => m[1] as string),
    );
    assert.equal(secrets.length, 3);
    assert.match(printed, /Key rotation, in three stages/);
    for (const s of secrets) assert.ok(!printed.includes(s), 'no key material printed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
