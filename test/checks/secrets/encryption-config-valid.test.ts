import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encryptionConfigValid } from '../../../src/checks/secrets/encryption-config-valid.js';
import { encryptionKeysValid } from '../../../src/checks/secrets/encryption-keys-valid.js';
import { encryptionKeyNamesUnique } from '../../../src/checks/secrets/encryption-key-names-unique.js';
import { paths, runCheck } from '../../helpers.js';
import { KEY32, KEY32_B, encryptionConfig } from './fixtures.js';

const GOOD = encryptionConfig(`
- resources: [events]
  providers: [{identity: {}}]
- resources: [secrets, configmaps, "*.apps"]
  providers:
  - secretbox: {keys: [{name: key-2024, secret: ${KEY32}}, {name: key-2023, secret: ${KEY32_B}}]}
  - aescbc: {keys: [{name: key-2024, secret: ${KEY32}}]}
  - identity: {}
`);

test('a valid configuration passes all three', () => {
  for (const check of [encryptionConfigValid, encryptionKeysValid, encryptionKeyNamesUnique]) assert.deepEqual(runCheck(check, GOOD), [], check.id);
});

test('structure problems go to encryption-config-valid, key problems to encryption-keys-valid', () => {
  const text = encryptionConfig(`
- resources: ["*.*"]
  providers: [{identity: {}}]
- resources: [secrets]
  providers:
  - {identity: {}, secretbox: {keys: [{name: k, secret: ${KEY32}}]}}
  - aescbc: {keys: [{name: k, secret: "${Buffer.alloc(12).toString('base64')}"}]}
`);
  assert.deepEqual(paths(runCheck(encryptionConfigValid, text)), ['resources[1].providers[0]', 'resources[1].resources[0]']);
  const keys = runCheck(encryptionKeysValid, text);
  assert.deepEqual(paths(keys), ['resources[1].providers[1].aescbc.keys[0].secret']);
  assert.match(keys[0]!.message, /decodes to 12 bytes; aescbc needs 16, 24, 32 bytes/);
});

test('duplicate key names within a provider type are reported at the second name', () => {
  const v = runCheck(encryptionKeyNamesUnique, encryptionConfig(`
- resources: [secrets]
  providers:
  - aesgcm: {keys: [{name: k1, secret: ${KEY32}}, {name: k1, secret: ${KEY32_B}}]}
  - aescbc: {keys: [{name: k1, secret: ${KEY32}}]}
`));
  assert.deepEqual(paths(v), ['resources[0].providers[0].aesgcm.keys[1].name']);
  assert.match(v[0]!.message, /already used by resources\[0\]\.providers\[0\]\.aesgcm\.keys\[0\]/);
});

test('no finding ever contains the key material', () => {
  const text = encryptionConfig(`
- resources: [secrets]
  providers:
  - secretbox: {keys: [{name: k, secret: "${KEY32.slice(0, 40)}"}]}
  - aescbc: {keys: [{name: k, secret: "${Buffer.alloc(20, 0x33).toString('base64')}"}]}
`);
  const all = [encryptionConfigValid, encryptionKeysValid, encryptionKeyNamesUnique].flatMap((c) => runCheck(c, text));
  assert.equal(all.length, 2);
  const dump = JSON.stringify(all);
  assert.ok(!dump.includes(KEY32.slice(0, 40)) && !dump.includes(Buffer.alloc(20, 0x33).toString('base64')));
});
