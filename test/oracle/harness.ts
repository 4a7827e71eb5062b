// TEMPORARY wrapper until part A's control-plane test helper lands: starts the real control plane
// through scripts/control-plane.mjs (never a second start script) and hands the oracles a client.

import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';
import { ApiClient } from './client.js';

const SCRIPT = existsSync(path.join(REPO_ROOT, 'scripts', 'control-plane.mjs'))
  ? path.join(REPO_ROOT, 'scripts', 'control-plane.mjs')
  : '/work/wt-cp/scripts/control-plane.mjs';

export interface PlaneEnv {
  server: string;
  pki: string;
  kubeconfig: string;
  binaries: { kubeApiserver: string; kubectl: string; etcd: string };
  etcd: { endpoint: string; cacert: string; cert: string; key: string };
  files: { auditLog?: string; apiserverLog: string; encryptionConfig?: string; auditPolicy?: string };
  dir: string;
}

export interface UpOptions {
  auditPolicy?: string | 'none';
  encryptionConfig?: string | 'none';
  admissionConfig?: string;
  extra?: string[];
}

export function controlPlaneSkipReason(): string | undefined {
  const r = spawnSync(process.execPath, [SCRIPT, 'status'], { encoding: 'utf8' });
  const reason = r.status === 0 ? undefined : 'kube-apiserver/etcd are not built (needs Go; `node scripts/control-plane.mjs build`)';
  if (reason && process.env.KUBEHARDEN_REQUIRE_APISERVER === '1') throw new Error(`KUBEHARDEN_REQUIRE_APISERVER=1 but ${reason}`);
  return reason;
}

function upArgs(dir: string, o: UpOptions): string[] {
  const args = [SCRIPT, 'up', '--dir', dir];
  if (o.auditPolicy) args.push(...(o.auditPolicy === 'none' ? ['--no-audit'] : ['--audit-policy', o.auditPolicy]));
  if (o.encryptionConfig) args.push(...(o.encryptionConfig === 'none' ? ['--no-encryption'] : ['--encryption-config', o.encryptionConfig]));
  if (o.admissionConfig) args.push('--admission-config', o.admissionConfig);
  if (o.extra?.length) args.push('--', ...o.extra);
  return args;
}

export class Plane {
  env!: PlaneEnv;
  client!: ApiClient;
  constructor(readonly dir: string) {}

  /** Starts (or restarts the API server with new files); rejects with the script's message when it does not come up. */
  async up(o: UpOptions = {}): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, upArgs(this.dir, o), { encoding: 'utf8', maxBuffer: 1 << 24 }, (err, _out, stderr) => {
        if (err) reject(new Error(`control plane did not come up: ${stderr.slice(-4000)}`));
        else resolve();
      });
    });
    this.env = JSON.parse(readFileSync(path.join(this.dir, 'env.json'), 'utf8')) as PlaneEnv;
    this.client?.close();
    this.client = new ApiClient(this.env.server, this.env.pki);
  }

  /** Tries a start that should fail; resolves with the script's output either way. */
  tryUp(o: UpOptions): Promise<{ ok: boolean; output: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, upArgs(this.dir, o), { encoding: 'utf8', maxBuffer: 1 << 24 }, (err, out, stderr) => resolve({ ok: !err, output: out + stderr }));
    });
  }

  kubectl(args: string[], input?: string): string {
    return execFileSync(this.env.binaries.kubectl, ['--kubeconfig', this.env.kubeconfig, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  }

  down(): void {
    this.client?.close();
    spawnSync(process.execPath, [SCRIPT, 'down', '--dir', this.dir], { stdio: 'ignore' });
  }
}

export async function startPlane(o: UpOptions = {}): Promise<Plane> {
  const plane = new Plane(path.join(mkdtempSync(path.join(os.tmpdir(), 'kubeharden-oracle-')), 'cp'));
  try {
    await plane.up(o);
  } catch (err) {
    plane.down();
    throw err;
  }
  return plane;
}
