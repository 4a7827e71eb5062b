import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encryptionConfigFilePrivate as check } from '../../../src/checks/secrets/encryption-config-file-private.js';
import { loadManifests } from '../../../src/sources/manifests.js';
import { contextFor, inventoryFromYaml, paths } from '../../helpers.js';
import { KEY32, encryptionConfig } from './fixtures.js';

const WITH_KEYS = encryptionConfig(`
- resources: [secrets]
  providers: [{secretbox: {keys: [{name: k, secret: ${KEY32}}]}}]
`);

async function evaluateFile(text: string, mode: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-enc-'));
  try {
    const file = path.join(dir, 'encryption.yaml');
    writeFileSync(file, text);
    chmodSync(file, mode);
    const { inventory } = await loadManifests([file]);
    return { outcome: check.evaluate(inventory, contextFor(inventory)), file };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('passes for a key file of mode 600', async () => {
  const { outcome } = await evaluateFile(WITH_KEYS, 0o600);
  assert.deepEqual(outcome, { evaluated: 1, violations: [] });
});

test('fails for a key file readable by group or others, naming the mode', async () => {
  const { outcome, file } = await evaluateFile(WITH_KEYS, 0o644);
  assert.ok('violations' in outcome);
  assert.deepEqual(paths(outcome.violations), ['resources']);
  assert.equal(outcome.violations[0]!.message, `${file} holds encryption keys and has mode 0644, readable by every user; chmod 600 it`);
  const group = await evaluateFile(WITH_KEYS, 0o640);
  assert.ok('violations' in group.outcome && /readable by its group/.test(group.outcome.violations[0]!.message));
});

test('skips with the reason when no file holds keys, or the input has no file mode', async () => {
  const { outcome } = await evaluateFile(encryptionConfig('- resources: [secrets]\n  providers: [{kms: {apiVersion: v2, name: v, endpoint: "unix:///k.sock"}}]\n'), 0o644);
  assert.deepEqual(outcome, { skip: 'no EncryptionConfiguration with aescbc, aesgcm or secretbox keys in the input' });
  const inventory = inventoryFromYaml(WITH_KEYS, '<stdin>');
  assert.deepEqual(check.evaluate(inventory, contextFor(inventory)), { skip: 'cannot read the file mode: <stdin> has no file mode' });
});
