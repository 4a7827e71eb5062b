// A real control plane for a test file: etcd + kube-apiserver (and kubectl) built from their Go
// modules and started by scripts/control-plane.mjs on free loopback ports, in a temporary folder.
//
// When the binaries are not built (no Go, or never built here), the suites that need them skip with a
// plain message; with KUBEHARDEN_REQUIRE_APISERVER=1 (CI) that is an error, and a missing build is
// built first (that needs Go).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';

export const CONTROL_PLANE_SCRIPT = path.join(REPO_ROOT, 'scripts', 'control-plane.mjs');
const ENABLE_HINT =
  'build it with `node scripts/control-plane.mjs build` (needs Go 1.26+; cached in ~/.cache/kubeharden) or run .ci/run; ' +
  'KUBEHARDEN_REQUIRE_APISERVER=1 makes this an error';

/** What env.json of a running control plane says (see scripts/control-plane.mjs). */
export interface ControlPlaneEnv {
  version: string;
  dir: string;
  server: string;
  kubeconfig: string;
  pki: string;
  binaries: { kubeApiserver: string; kubectl: string; etcd: string };
  ports: { apiserver: number; etcdClient: number; etcdPeer: number; etcdMetrics: number };
  pids: { etcd: number; kubeApiserver: number };
  apiserverArgs: string[];
  etcdArgs: string[];
  etcd: { endpoint: string; cacert: string; cert: string; key: string };
  files: { auditPolicy?: string; encryptionConfig?: string; admissionConfig?: string; auditLog?: string; apiserverLog: string; etcdLog: string };
}

export interface StartOptions {
  /** Extra kube-apiserver flags; one named like a default replaces it. */
  apiserverFlags?: string[];
  auditPolicy?: string;
  encryptionConfig?: string;
  admissionConfig?: string;
  version?: string;
}

export interface KubectlRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface ControlPlane {
  env: ControlPlaneEnv;
  /** Runs the real kubectl against this control plane as cluster admin (system:masters). */
  kubectl(args: string[], input?: string): Promise<KubectlRun>;
  /** kubectl that must succeed; returns stdout. */
  kubectlOk(args: string[], input?: string): Promise<string>;
  /** Restarts kube-apiserver with other flags or files; etcd, its data, the certificates and ports stay. */
  restart(options?: StartOptions): Promise<void>;
  stop(): Promise<void>;
}

let cachedReason: string | undefined | null = null;

/**
 * Why the real-control-plane suites cannot run here, or undefined when they can.
 * With KUBEHARDEN_REQUIRE_APISERVER=1 it never skips: a missing build is built by `up` (with Go).
 */
export function controlPlaneUnavailable(version = '1.37', { optional = false } = {}): string | undefined {
  // An optional version (an older minor) runs where it is built and is never built by the tests.
  if (process.env.KUBEHARDEN_REQUIRE_APISERVER === '1' && !optional) return undefined;
  if (cachedReason !== null && !optional) return cachedReason;
  const status = spawnSync(process.execPath, [CONTROL_PLANE_SCRIPT, 'status', '--version', version], { encoding: 'utf8' });
  if (status.status === 0) return optional ? undefined : (cachedReason = undefined);
  let detail = 'kube-apiserver, kubectl and etcd are not built';
  try {
    const answer = JSON.parse(status.stdout) as { version: string; go: string | null; binaries: Record<string, string | null> };
    const names: Record<string, string> = { kubeApiserver: 'kube-apiserver', kubectl: 'kubectl', etcd: 'etcd' };
    const missing = Object.entries(answer.binaries).filter(([, f]) => !f).map(([k]) => names[k] ?? k);
    detail = `${missing.join(', ')} for Kubernetes v${answer.version} not built${answer.go ? '' : ' and Go is not installed'}`;
  } catch {
    /* the status output is only for the message */
  }
  const openssl = spawnSync('openssl', ['version']);
  if (openssl.error || openssl.status !== 0) detail += '; openssl is not installed';
  const reason = optional
    ? `optional suite skipped: ${detail}; build it with \`node scripts/control-plane.mjs build --version ${version}\``
    : `real control-plane suite skipped: ${detail}; ${ENABLE_HINT}`;
  if (optional) return reason;
  return (cachedReason = reason);
}

/** Runs a program to its end, feeding it INPUT, and collects what it printed. */
function runProcess(command: string, args: string[], input = ''): Promise<KubectlRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

const script = (args: string[]) => runProcess(process.execPath, [CONTROL_PLANE_SCRIPT, ...args]);

function upArgs(dir: string, options: StartOptions): string[] {
  return [
    'up', '--dir', dir, '--version', options.version ?? '1.37',
    ...(options.auditPolicy ? ['--audit-policy', options.auditPolicy] : []),
    ...(options.encryptionConfig ? ['--encryption-config', options.encryptionConfig] : []),
    ...(options.admissionConfig ? ['--admission-config', options.admissionConfig] : []),
    ...(options.apiserverFlags?.length ? ['--', ...options.apiserverFlags] : []),
  ];
}

/** Starts a control plane in a fresh temporary folder and waits until the API server is ready. */
export async function startControlPlane(options: StartOptions = {}): Promise<ControlPlane> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-cp-'));
  const stop = async () => {
    await script(['down', '--dir', dir]);
  };
  const up = async (opts: StartOptions) => {
    const run = await script(upArgs(dir, opts));
    if (run.status !== 0) {
      await stop();
      throw new Error(`control-plane.mjs up failed (${run.status}):\n${run.stderr}`);
    }
  };
  await up(options);
  const plane: ControlPlane = {
    env: readEnv(dir),
    kubectl: (args, input) => kubectl(plane.env, args, input),
    async kubectlOk(args, input) {
      const run = await kubectl(plane.env, args, input);
      if (run.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
      return run.stdout;
    },
    async restart(opts = {}) {
      await up(opts);
      plane.env = readEnv(dir);
    },
    stop,
  };
  return plane;
}

function readEnv(dir: string): ControlPlaneEnv {
  return JSON.parse(readFileSync(path.join(dir, 'env.json'), 'utf8')) as ControlPlaneEnv;
}

export function kubectl(env: ControlPlaneEnv, args: string[], input?: string, kubeconfig = env.kubeconfig): Promise<KubectlRun> {
  return runProcess(env.binaries.kubectl, ['--kubeconfig', kubeconfig, ...args], input);
}
