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
