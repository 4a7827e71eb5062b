// The oracles' view of a real control plane (test/control-plane/harness.ts starts it through
// scripts/control-plane.mjs): a fast HTTPS client as cluster admin, kubectl, restarts with other
// files, and starts that are expected to fail (a configuration the server must refuse).

import { spawn } from 'node:child_process';
import {
  CONTROL_PLANE_SCRIPT,
  controlPlaneUnavailable,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneEnv,
  type StartOptions,
} from '../control-plane/harness.js';
import { ApiClient } from './client.js';

export { controlPlaneUnavailable };

export class Plane {
  client: ApiClient;
  constructor(readonly cp: ControlPlane) {
    this.client = new ApiClient(cp.env.server, cp.env.pki);
  }

  get env(): ControlPlaneEnv {
    return this.cp.env;
  }

  get dir(): string {
    return this.cp.env.dir;
  }

  kubectl(args: string[], input?: string): Promise<string> {
    return this.cp.kubectlOk(args, input);
  }

  /** Restarts kube-apiserver with other files or flags (etcd and its data stay). */
  async restart(options: StartOptions = {}): Promise<void> {
    this.client.close();
    await this.cp.restart(options);
    this.client = new ApiClient(this.cp.env.server, this.cp.env.pki);
  }

  /**
   * Starts kube-apiserver with a configuration it may refuse; resolves whether it became ready and
   * what the script said. Unlike restart, a refusal leaves etcd and the folder in place for the next start.
   */
  tryStart(options: StartOptions): Promise<{ ready: boolean; output: string }> {
    const args = [
      CONTROL_PLANE_SCRIPT, 'up', '--dir', this.dir, '--version', options.version ?? '1.37',
      ...(options.auditPolicy ? ['--audit-policy', options.auditPolicy] : []),
      ...(options.encryptionConfig ? ['--encryption-config', options.encryptionConfig] : []),
      ...(options.apiserverFlags?.length ? ['--', ...options.apiserverFlags] : []),
    ];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ ready: status === 0, output }));
    });
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.cp.stop();
  }
}

export async function startPlane(options: StartOptions = {}): Promise<Plane> {
  return new Plane(await startControlPlane(options));
}
