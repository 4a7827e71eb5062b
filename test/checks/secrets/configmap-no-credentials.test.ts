import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configMapNoCredentials as check } from '../../../src/checks/secrets/configmap-no-credentials.js';
import { paths, runCheck } from '../../helpers.js';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';

test('reports credential entries by key only, never their value', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data:
  LOG_LEVEL: info
  db-password: hunter2
  session: "${JWT}"
  tls.key: |
    -----BEGIN RSA PRIVATE KEY-----
    MIIEowIBAAKCAQEAnotarealkey
    -----END RSA PRIVATE KEY-----
`);
  assert.deepEqual(paths(v), ['data.db-password', 'data.session', 'data["tls.key"]']);
  assert.equal(v[0]!.message, 'ConfigMap shop/settings key "db-password" looks like a credential (its name contains "password" and it holds a literal value); move it into a Secret');
  assert.match(v[1]!.message, /a JSON Web Token/);
  assert.match(v[2]!.message, /a private key/);
  for (const { message } of v) {
    assert.ok(!message.includes('hunter2') && !message.includes('eyJ') && !message.includes('MIIE'), `message leaks a value: ${message}`);
  }
});

test('paths, file names, config files, certificates and empty values are not credentials', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data:
  TOKEN_PATH: /var/run/secrets/tokens/api
  PASSWORD_FILE: /etc/db/password
  API_KEY: ""
  secret-config.yaml: |
    passwordFile: /etc/db/password
    level: info
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIU
    -----END CERTIFICATE-----
  signing.key: |
    -----BEGIN PUBLIC KEY-----
    MFkwEwYHKoZIzj0CAQY
    -----END PUBLIC KEY-----
`);
  assert.deepEqual(v, []);
});
