import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encryptionProviderRecommended as check } from '../../../src/checks/secrets/encryption-provider-recommended.js';
import { paths, runCheck } from '../../helpers.js';
import { KEY32, encryptionConfig } from './fixtures.js';

test('passes for secretbox and kms v2 writers; later (read-only) aescbc is not reported', () => {
  assert.deepEqual(runCheck(check, encryptionConfig(`
- resources: [secrets]
  providers:
  - secretbox: {keys: [{name: new, secret: ${KEY32}}]}
  - aescbc: {keys: [{name: old, secret: ${KEY32}}]}
- resources: [configmaps]
  providers:
  - kms: {apiVersion: v2, name: vault, endpoint: "unix:///run/kms.sock"}
`)), []);
});

test('fails for aescbc, aesgcm (for other resources than secrets) and kms v1 (also when apiVersion is unset) when they write', () => {
  const v = runCheck(check, encryptionConfig(`
- resources: [secrets]
  providers: [{aescbc: {keys: [{name: k, secret: ${KEY32}}]}}]
- resources: [configmaps]
  providers: [{aesgcm: {keys: [{name: k, secret: ${KEY32}}]}}]
- resources: ["*.apps"]
  providers: [{kms: {name: old, endpoint: "unix:///run/kms.sock"}}]
`));
  assert.deepEqual(paths(v), ['resources[0].providers[0].aescbc', 'resources[1].providers[0].aesgcm', 'resources[2].providers[0].kms']);
  assert.match(v[0]!.message, /^writes secrets: aescbc is rated weak/);
  assert.match(v[1]!.message, /200,000 writes/);
  assert.match(v[2]!.message, /apiVersion v1 \(the default when unset\), which is deprecated/);
});

test('the provider list of a second entry for the same resource is appended, so its first provider does not write', () => {
  const v = runCheck(check, encryptionConfig(`
- resources: [secrets]
  providers: [{secretbox: {keys: [{name: k, secret: ${KEY32}}]}}]
- resources: [secrets]
  providers: [{aescbc: {keys: [{name: k, secret: ${KEY32}}]}}]
`));
  assert.deepEqual(v, []);
});

test('aesgcm writing secrets is left to secrets-written-with-cis-accepted-provider', () => {
  assert.deepEqual(runCheck(check, encryptionConfig(`
- resources: [secrets, configmaps]
  providers: [{aesgcm: {keys: [{name: k, secret: ${KEY32}}]}}]
`)), []);
});
