// In CI (`.ci/run`, CI=true) every tool a test group needs must be there: a missing one fails
// the run instead of turning its tests into skips that read as passes. Outside CI the groups
// skip with a plain message saying what is missing and how to install it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';
import { etcdUnavailable, etcdctlUnavailable } from '../sources/etcd/harness.js';

/** Every external tool a test group needs, with the Debian package .ci/run installs it from. */
const REQUIRED: { tool: string; present: () => boolean; package: string; group: string }[] = [
  { tool: 'etcd', present: () => runs('etcd', ['--version']), package: 'etcd-server', group: 'real-etcd probe tests' },
  { tool: 'etcdctl', present: () => runs('etcdctl', ['version']), package: 'etcd-client', group: 'etcd user-auth tests' },
  { tool: 'openssl', present: () => runs('openssl', ['version']), package: 'openssl', group: 'TLS certificates for etcd and webhook tests' },
  { tool: '/usr/bin/chromium', present: () => existsSync('/usr/bin/chromium'), package: 'chromium', group: 'HTML report in a real browser' },
  { tool: '/usr/bin/cmark-gfm', present: () => existsSync('/usr/bin/cmark-gfm'), package: 'cmark-gfm', group: 'Markdown report as GitHub renders it' },
];

function runs(command: string, args: string[]): boolean {
  const run = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
  return !run.error && run.status === 0;
}

test('in CI every required tool is installed', (t) => {
  const missing = REQUIRED.filter((r) => !r.present()).map((r) => `${r.tool} (apt-get install ${r.package}; needed by the ${r.group})`);
  if (!process.env.CI) {
    if (missing.length) t.skip(`not in CI; these test groups skip here: ${missing.join('; ')}`);
    return;
  }
  assert.deepEqual(missing, [], 'CI must install every tool .ci/run lists');
});

test('.ci/run installs every required package and makes a missing etcd fail', () => {
  const script = readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
  for (const r of REQUIRED) assert.match(script, new RegExp(`APT_PACKAGES=\\([^)]*\\b${r.package}\\b`), r.package);
  assert.match(script, /export KUBEHARDEN_REQUIRE_ETCD=1/);
});

test('KUBEHARDEN_REQUIRE_ETCD=1 turns a missing etcd or etcdctl into an error, not a skip', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'kh-no-tools-'));
  const saved = { PATH: process.env.PATH, REQUIRE: process.env.KUBEHARDEN_REQUIRE_ETCD };
  try {
    process.env.PATH = empty; // nothing can be found
    delete process.env.KUBEHARDEN_REQUIRE_ETCD;
    assert.match(etcdUnavailable() ?? '', /etcd is not installed/);
    assert.match(etcdctlUnavailable() ?? '', /etcdctl is not installed/);
    process.env.KUBEHARDEN_REQUIRE_ETCD = '1';
    assert.throws(() => etcdUnavailable(), /KUBEHARDEN_REQUIRE_ETCD=1 but etcd is not installed/);
    assert.throws(() => etcdctlUnavailable(), /KUBEHARDEN_REQUIRE_ETCD=1 but etcdctl is not installed/);
  } finally {
    process.env.PATH = saved.PATH;
    if (saved.REQUIRE === undefined) delete process.env.KUBEHARDEN_REQUIRE_ETCD;
    else process.env.KUBEHARDEN_REQUIRE_ETCD = saved.REQUIRE;
    rmSync(empty, { recursive: true, force: true });
  }
});
