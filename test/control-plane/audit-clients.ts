// Real client-go clients (test/control-plane/audit-clients/, client-go v0.37.2): a shared informer's
// list + watch, and a controller's status update, for the audit-log test of `generate rbac`.
// Built once with Go, cached outside the checkout under a name that changes with the sources.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';

const SOURCES = path.join(REPO_ROOT, 'test', 'control-plane', 'audit-clients');
const cacheRoot = () => process.env.KUBEHARDEN_CACHE || path.join(os.homedir(), '.cache', 'kubeharden');

/** The binary, built if needed; a string saying why not when Go is missing or the build fails (an Error under KUBEHARDEN_REQUIRE_APISERVER=1). */
export function auditClients(): { binary: string } | { unavailable: string } {
  const digest = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) digest.update(readFileSync(path.join(SOURCES, f)));
  const out = path.join(cacheRoot(), `audit-clients-${digest.digest('hex').slice(0, 12)}`, 'audit-clients');
  if (existsSync(out)) return { binary: out };
  const required = process.env.KUBEHARDEN_REQUIRE_APISERVER === '1';
  if (spawnSync('go', ['version']).error) {
    if (required) throw new Error('Go is needed to build the client-go clients of the audit-log test');
    return { unavailable: 'Go is not installed: the client-go informer and status writer are left out (install Go to include them)' };
  }
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  const r = spawnSync('go', ['build', '-o', tmp, '.'], { cwd: SOURCES, encoding: 'utf8', env: { ...process.env, CGO_ENABLED: '0' } });
  if (r.error || r.status !== 0) {
    const why = `building the client-go clients failed: ${r.stderr || r.error}`;
    if (required) throw new Error(why);
    return { unavailable: why };
  }
  renameSync(tmp, out);
  return { binary: out };
}
