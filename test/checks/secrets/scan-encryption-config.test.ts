import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanManifests } from '../../../src/engine/scan.js';
import { renderJson } from '../../../src/report/json.js';
import { renderTable } from '../../../src/report/table.js';
import { secretsChecks } from '../../../src/checks/secrets/index.js';
import { KEY32 } from './fixtures.js';

const SHORT_KEY = Buffer.alloc(20, 0x5a).toString('base64');
const FILE = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers:
      - identity: {}
      - aescbc:
          keys:
            - name: key1
              secret: ${KEY32}
            - name: key2
              secret: ${SHORT_KEY}
`;

test('scanning an EncryptionConfiguration file: findings point at lines of the file, and no key appears in any report', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-scan-enc-'));
  try {
    const file = path.join(dir, 'encryption.yaml');
    writeFileSync(file, FILE);
    chmodSync(file, 0o644);
    const result = await scanManifests([file], { checks: secretsChecks });
    const where = result.findings.map((f) => `${f.check} ${f.location.line}:${f.location.column} ${f.location.path}`).sort();
    assert.deepEqual(where, [
      'encryption-config-file-private 3:1 resources',
      'encryption-keys-valid 13:15 resources[0].providers[1].aescbc.keys[1].secret',
      'secrets-encrypted-at-rest 7:9 resources[0].providers[0]',
    ]);
    for (const text of [renderJson(result), renderTable(result, { color: false })]) {
      assert.ok(!text.includes(KEY32) && !text.includes(SHORT_KEY), 'key material in a report');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an API server pod and the EncryptionConfiguration it names, in one manifest scan: one finding, and CIS 1.2.27/1.2.28 warn (not skip) pointing at it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-scan-enc-pod-'));
  try {
    writeFileSync(path.join(dir, 'encryption.yaml'), FILE);
    chmodSync(path.join(dir, 'encryption.yaml'), 0o600);
    writeFileSync(path.join(dir, 'kube-apiserver.yaml'), `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.31.4
    command:
    - kube-apiserver
    - --encryption-provider-config=/etc/kubernetes/enc/encryption.yaml
`);
    const result = await scanManifests([dir]);
    const plain = result.findings.filter((f) => /plain text/.test(f.message));
    assert.deepEqual(plain.map((f) => `${f.check} ${path.basename(f.location.file)}:${f.location.line}`), ['secrets-encrypted-at-rest encryption.yaml:7']);
    for (const id of ['apiserver-encryption-provider-config', 'apiserver-strong-encryption-provider']) {
      const item = result.checks.find((c) => c.id === id)!;
      assert.equal(item.status, 'warn', id);
      assert.equal(item.failed, 1);
      assert.match(item.reason!, /identity is the first provider for secrets.*\(finding: secrets-encrypted-at-rest\)/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
