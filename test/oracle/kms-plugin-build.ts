// The KMS v2 test plugin (test/oracle/kms-plugin, k8s.io/kms v0.37.2): built once with Go, cached
// outside the checkout, and started on a unix socket. Used by the encryption oracle and by the
// KMS plugin client's tests.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';

const cacheRoot = () => process.env.KUBEHARDEN_CACHE || path.join(os.homedir(), '.cache', 'kubeharden');

/** Why the plugin cannot be had here (a skip message), or false when it can. */
export function kmsPluginUnavailable(): string | false {
  if (process.env.KUBEHARDEN_REQUIRE_APISERVER === '1') return false;
  if (existsSync(path.join(cacheRoot(), 'kms-plugin-v0.37.2', 'kms-plugin'))) return false;
  return spawnSync('go', ['version']).error ? 'Go is not installed: the KMS v2 test plugin (test/oracle/kms-plugin) cannot be built; install Go to run this' : false;
}

/** Builds the KMS v2 plugin (k8s.io/kms v0.37.2) once, cached outside the checkout; undefined without Go. */
export function kmsPlugin(): string | undefined {
  const out = path.join(cacheRoot(), 'kms-plugin-v0.37.2', 'kms-plugin');
  if (existsSync(out)) return out;
  mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync('go', ['build', '-o', out, '.'], { cwd: path.join(REPO_ROOT, 'test', 'oracle', 'kms-plugin'), encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    if (process.env.KUBEHARDEN_REQUIRE_APISERVER === '1') throw new Error(`building the KMS v2 plugin failed: ${r.stderr ?? r.error}`);
    return undefined;
  }
  return out;
}

/** Starts the plugin in DIR with a 32-byte key written to DIR/kms.key; resolves once its socket exists. */
export async function startKmsPlugin(binary: string, dir: string, kek: Buffer, keyId = 'oracle-key-1'): Promise<{ process: ChildProcess; socket: string }> {
  const socket = path.join(dir, 'kms.sock');
  const keyFile = path.join(dir, 'kms.key');
  writeFileSync(keyFile, kek, { mode: 0o600 });
  const child = spawn(binary, ['--socket', socket, '--key-file', keyFile, '--key-id', keyId], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(socket)) {
    child.kill('SIGTERM');
    throw new Error(`the KMS plugin did not create ${socket}`);
  }
  return { process: child, socket };
}
