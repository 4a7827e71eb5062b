import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';

function kubeharden(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/kubeharden.js'), ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('psa preview: an AdmissionConfiguration naming a missing PodSecurity file is a clear usage error', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-psa-cli-'));
  writeFileSync(path.join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
  writeFileSync(path.join(dir, 'admission.yaml'), 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: podsecurity.yaml\n');
  const r = kubeharden('psa', 'preview', path.join(dir, 'ns.yaml'), '--admission-config', path.join(dir, 'admission.yaml'));
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `kubeharden: ${path.join(dir, 'admission.yaml')}: plugins[0] (PodSecurity) names ${path.join(dir, 'podsecurity.yaml')}, which does not exist or cannot be read: the API server stops at start-up\n`);
  assert.equal(r.stdout, '');
});
