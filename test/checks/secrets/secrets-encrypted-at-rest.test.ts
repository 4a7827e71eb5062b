import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secretsEncryptedAtRest as check } from '../../../src/checks/secrets/secrets-encrypted-at-rest.js';
import { paths, runCheck } from '../../helpers.js';
import { KEY32, encryptionConfig } from './fixtures.js';

test('passes when an encrypting provider is first for secrets, identity after it', () => {
  assert.deepEqual(runCheck(check, encryptionConfig(`
- resources: [secrets]
  providers:
  - secretbox: {keys: [{name: key1, secret: ${KEY32}}]}
  - identity: {}
`)), []);
});

test('passes when *.* covers secrets with kms v2 first, after a specific identity override for events', () => {
  assert.deepEqual(runCheck(check, encryptionConfig(`
- resources: [events]
  providers: [{identity: {}}]
- resources: ["*.*"]
  providers:
  - kms: {apiVersion: v2, name: vault, endpoint: "unix:///run/kms.sock"}
  - identity: {}
`)), []);
});

test('fails when identity is listed first, even with encrypting providers after it', () => {
  const v = runCheck(check, encryptionConfig(`
- resources: [configmaps]
  providers: [{aescbc: {keys: [{name: k, secret: ${KEY32}}]}}]
- resources: [secrets]
  providers:
  - identity: {}
  - aescbc: {keys: [{name: key1, secret: ${KEY32}}]}
`));
  assert.deepEqual(paths(v), ['resources[1].providers[0]']);
  assert.match(v[0]!.message, /identity is the first provider for secrets \(matched by "secrets" in resources\[1\]\): new Secrets are written in plain text; aescbc after it only decrypts/);
});

test('fails when no entry covers secrets; *.apps does not cover the core group', () => {
  const v = runCheck(check, encryptionConfig(`
- resources: [configmaps, "*.apps"]
  providers: [{secretbox: {keys: [{name: k, secret: ${KEY32}}]}}]
`));
  assert.deepEqual(paths(v), ['resources']);
  assert.match(v[0]!.message, /no entry covers secrets/);
});

test('identity first through the *. wildcard is found too', () => {
  const v = runCheck(check, encryptionConfig(`
- resources: ["*."]
  providers: [{identity: {}}]
`));
  assert.deepEqual(paths(v), ['resources[0].providers[0]']);
  assert.match(v[0]!.message, /matched by "\*\."/);
});

test('an object of another API group named EncryptionConfiguration is not judged', () => {
  assert.deepEqual(runCheck(check, 'apiVersion: example.com/v1\nkind: EncryptionConfiguration\nmetadata: {name: x}\nresources: []\n'), []);
});
