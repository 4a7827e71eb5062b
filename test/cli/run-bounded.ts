// The real CLI in a child process with a small heap and a kill timer, for hostile inputs: a
// regression shows as a crash or a kill, never as a test runner that hangs. The timer only bounds
// a hang; tests do not assert on time.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';

export interface BoundedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

export interface BoundedOptions {
  killAfterMs?: number;
  heapMb?: number;
  input?: string | Buffer;
}

/** The real CLI with a 256 MiB heap (by default), killed if it has not finished after `killAfterMs`. */
export function runBounded(args: string[], options: BoundedOptions = {}): Promise<BoundedRun> {
  const killAfterMs = options.killAfterMs ?? 60_000;
  const heapMb = options.heapMb ?? 256;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, path.join(REPO_ROOT, 'bin', 'kubeharden.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, killed });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

