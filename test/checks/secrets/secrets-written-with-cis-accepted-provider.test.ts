import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secretsWrittenWithCisAcceptedProvider as check } from '../../../src/checks/secrets/secrets-written-with-cis-accepted-provider.js';
import { paths, runCheck } from '../../helpers.js';
import { KEY32, encryptionConfig } from './fixtures.js';

test('passes for aescbc, secretbox and kms first for secrets (the benchmark\'s list), and leaves identity to secrets-encrypted-at-rest', () => {
  for (const provider of [
    `aescbc: {keys: [{name: k, secret: ${KEY32}}]}`,
    `secretbox: {keys: [{name: k, secret: ${KEY32}}]}`,
    'kms: {apiVersion: v2, name: v, endpoint: "unix:///k.sock"}',
    'identity: {}',
  ]) {
    assert.deepEqual(runCheck(check, encryptionConfig(`- resources: [secrets]\n  providers:\n  - ${provider}\n  - aesgcm: {keys: [{name: old, secret: ${KEY32}}]}\n`)), [], provider);
  }
});

test('fails when aesgcm writes secrets, also through *.*; not when it writes only other resources', () => {
  const v = runCheck(check, encryptionConfig(`
- resources: [configmaps]
  providers: [{secretbox: {keys: [{name: k, secret: ${KEY32}}]}}]
- resources: ["*.*"]
  providers: [{aesgcm: {keys: [{name: k, secret: ${KEY32}}]}}]
`));
  assert.deepEqual(paths(v), ['resources[1].providers[0].aesgcm']);
  assert.match(v[0]!.message, /CIS 1\.2\.28 accepts only aescbc, kms or secretbox/);
  assert.deepEqual(runCheck(check, encryptionConfig(`
- resources: [configmaps]
  providers: [{aesgcm: {keys: [{name: k, secret: ${KEY32}}]}}]
- resources: [secrets]
  providers: [{secretbox: {keys: [{name: k, secret: ${KEY32}}]}}]
`)), []);
});
