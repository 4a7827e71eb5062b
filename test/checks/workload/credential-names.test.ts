// The credential heuristic as a table: names real cloud SDKs and CLIs document for key material
// (each row says whose), and names that only refer to a key or are data-store lookup keys.
// Values are made-up key-shaped strings, never real credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchCredential } from '../../../src/checks/secrets/credentials.js';

const KEYLIKE = 'q2Vx9kP3mZ7wR1tY5uI8oA4sD6fG0hJ+b/c=';

/** [name, value, whose documentation names it] — each must be recognised. */
const CREDENTIALS: [string, string, string][] = [
  ['AZURE_BATCH_ACCESS_KEY', KEYLIKE, 'Azure CLI (az batch)'],
  ['AZURE_BATCH_KEY', KEYLIKE, 'Azure Batch account key, *_KEY'],
  ['AZURE_STORAGE_KEY', KEYLIKE, 'Azure CLI (az storage)'],
  ['AZURE_STORAGE_ACCOUNT_KEY', KEYLIKE, 'Azure SDKs'],
  ['ARM_ACCESS_KEY', KEYLIKE, 'Terraform azurerm backend'],
  ['AZURE_CLIENT_SECRET', 'abc~def.ghi', 'Azure Identity'],
  ['AZURE_STORAGE_CONNECTION_STRING', `DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=${KEYLIKE};EndpointSuffix=core.windows.net`, 'Azure CLI'],
  ['OCI_CLI_KEY_CONTENT', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'OCI CLI'],
  ['OCI_KEY_CONTENT', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'OCI private key content, KEY_CONTENT'],
  ['OCI_PRIVATE_KEY', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'OCI Terraform provider'],
  ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS CLI'],
  ['AWS_SESSION_TOKEN', 'FwoGZXIvYXdzEJr', 'AWS CLI'],
  ['GOOGLE_API_KEY', 'AIzaSyA-not-a-real-key', 'Google client libraries'],
  ['ALICLOUD_ACCESS_KEY', 'LTAI5tNotARealKey', 'Alibaba Cloud CLI'],
  ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'notarealsecret', 'Alibaba Cloud SDKs'],
  ['TENCENTCLOUD_SECRET_KEY', 'notarealsecret', 'Tencent Cloud CLI'],
  ['SCW_SECRET_KEY', '11111111-2222-3333-4444-555555555555', 'Scaleway CLI'],
  ['IBMCLOUD_API_KEY', 'notarealapikey', 'IBM Cloud CLI'],
  ['DD_APP_KEY', 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4', 'Datadog agent'],
  ['DD_API_KEY', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 'Datadog agent'],
  ['NEW_RELIC_LICENSE_KEY', 'eu01xxnotarealkey', 'New Relic agents'],
  ['MAILGUN_KEY', 'key-1234567890abcdef1234567890abcdef', 'Mailgun, *_KEY'],
  ['DIGITALOCEAN_ACCESS_TOKEN', 'dop_v1_notarealtoken', 'doctl'],
  ['HCLOUD_TOKEN', 'notarealtoken', 'hcloud CLI'],
  ['CLOUDFLARE_API_KEY', 'notarealkey', 'Cloudflare'],
  ['MINIO_ROOT_PASSWORD', 'minio-pw-1', 'MinIO'],
  ['SSH_KEY_DATA', 'AAAAB3NzaC1yc2EAAAADAQABAAABAQ', 'KEY_DATA'],
  ['gpg.key', KEYLIKE, 'a ConfigMap key ending in key'],
  ['PGP_PRIVATE', '-----BEGIN PGP PRIVATE KEY BLOCK-----', 'an armoured PGP private key, whatever the name'],
];

/** [name, value, why it is not a credential] — each must stay quiet. */
const NOT_CREDENTIALS: [string, string, string][] = [
  ['AWS_ACCESS_KEY_ID', 'EXAMPLEKEYID0000', 'an identifier, *_KEY_ID'],
  ['AZURE_KEY_ID', 'https://vault.example/keys/k/1', '*_KEY_ID'],
  ['KMS_KEY_ID', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab', '*_KEY_ID'],
  ['PUBLIC_KEY', KEYLIKE, 'a public key'],
  ['JWT_PUBLIC_KEY', KEYLIKE, 'a public key'],
  ['KEY_NAME', 'prod-signing', 'names a key'],
  ['SSH_KEY_NAME', 'deploy', 'names a key'],
  ['OCI_CLI_KEY_FILE', '/etc/oci/key.pem', 'a path to a key'],
  ['GOOGLE_APPLICATION_CREDENTIALS', '/var/run/secrets/gcp/key.json', 'a path to a key'],
  ['AZURE_KEY_VAULT_URL', 'https://shop.vault.azure.net', 'an address'],
  ['SORT_KEY', 'created_at', 'a data-store key'],
  ['CACHE_KEY', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 'a data-store key, even when hash-like'],
  ['PARTITION_KEY', 'tenantId0123456789', 'a data-store key'],
  ['ROUTING_KEY', 'orders.created.v1', 'a message routing key'],
  ['TOPOLOGY_KEY', 'topology.kubernetes.io/zone', 'a label key'],
  ['LABEL_KEY', 'app.kubernetes.io/name', 'a label key'],
  ['OBJECT_KEY', 'uploads/2024/avatar.png', 'an object-store key'],
  ['FEATURE_FLAG_KEY', 'new-checkout-flow', 'a lookup key'],
  ['AZURE_BATCH_KEY', 'batch', 'too short and plain to be key material'],
  ['SESSION_STORE_KEY', 'session-store', 'words, not key material'],
  ['ENABLE_API_KEY', 'true', 'a setting about keys'],
  ['API_KEY', '$(SHARED_API_KEY)', 'a reference to another variable'],
  ['TLS_KEY', '/etc/tls/tls.key', 'a path'],
];

test('names that real SDKs and CLIs use for key material are recognised', () => {
  const missed = CREDENTIALS.filter(([name, value]) => !matchCredential(name, value)).map(([n, , who]) => `${n} (${who})`);
  assert.deepEqual(missed, []);
});

test('names that refer to a key, or are lookup keys, are not', () => {
  const flagged = NOT_CREDENTIALS.filter(([name, value]) => matchCredential(name, value)).map(([n, , why]) => `${n} (${why})`);
  assert.deepEqual(flagged, []);
});
