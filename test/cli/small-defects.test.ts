// Defects found by trying kubeharden as a new user would (issue 13), each proven fixed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from './run-cli.js';
import { REPO_ROOT } from '../helpers.js';
import type { Result } from '../../src/result/result.js';

const WORKER = path.join(REPO_ROOT, 'test/fixtures/repos/shop/k8s');

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'kh-defects-'));
}

test('--baseline holding every finding: no "How to fix" section, no blank remedies', async () => {
  const dir = tempDir();
  try {
    const baseline = path.join(dir, 'base.json');
    await runCli(['scan', WORKER, '-o', baseline, '--fail-on', 'none']);
    const run = await runCli(['scan', WORKER, '--baseline', baseline, '--format', 'table', '--fail-on', 'none']);
    assert.equal(run.code, 0);
    assert.ok(!run.stdout.includes('How to fix'), run.stdout);
    assert.match(run.stdout, /already in the baseline, not shown/);
    const html = (await runCli(['scan', WORKER, '--baseline', baseline, '--format', 'html', '--fail-on', 'none'])).stdout;
    assert.ok(!html.includes('<section id="fix">'));
    // Without the baseline the section is there, with a remedy on every entry.
    const full = (await runCli(['scan', WORKER, '--format', 'table', '--fail-on', 'none'])).stdout;
    const fixLines = full.slice(full.indexOf('How to fix')).split('\n').slice(1).filter((l) => l.startsWith('    '));
    assert.ok(fixLines.length > 0 && fixLines.every((l) => l.trim().length > 10));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('.kubeharden.yml is read when there is no .kubeharden.yaml; both at once is an error', async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, '.kubeharden.yml'), 'checks:\n  disable: [container-not-privileged]\n');
    const result = JSON.parse((await runCli(['scan', WORKER, '--format', 'json', '--fail-on', 'none'], { cwd: dir })).stdout) as Result;
    assert.equal(result.target.config, '.kubeharden.yml');
    assert.ok(!result.findings.some((f) => f.check === 'container-not-privileged'));
    writeFileSync(path.join(dir, '.kubeharden.yaml'), '{}\n');
    const both = await runCli(['scan', WORKER, '--format', 'json'], { cwd: dir });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /both \.kubeharden\.yaml and \.kubeharden\.yml exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown config key is named, with the nearest valid key', async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, 'c.yaml'), 'pssLvel: baseline\nchecks:\n  disabel: [container-not-privileged]\nsomethingElse: 1\n');
    const run = await runCli(['scan', WORKER, '--config', path.join(dir, 'c.yaml')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /pssLvel: unknown key "pssLvel" \(did you mean pssLevel\?\)/);
    assert.match(run.stderr, /checks\.disabel: unknown key "disabel" \(did you mean disable\?\)/);
    assert.match(run.stderr, /somethingElse: unknown key "somethingElse" \(valid here: pssLevel, pssVersion, checks, /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-o report.yaml refuses to guess a format instead of writing a table; --format policyreport writes YAML there', async () => {
  const dir = tempDir();
  try {
    const out = path.join(dir, 'report.yaml');
    const run = await runCli(['scan', WORKER, '-o', out]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot tell the report format from a \.yaml name; give --format/);
    assert.ok(!existsSync(out));
    await runCli(['scan', WORKER, '-o', out, '--format', 'policyreport', '--fail-on', 'none']);
    assert.match(readFileSync(out, 'utf8'), /^apiVersion: wgpolicyk8s\.io\/v1alpha2$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('checks explain cis:5.2.2 lists the checks of that control; cis:5.2 those under it', async () => {
  const one = await runCli(['checks', 'explain', 'cis:5.2.2']);
  assert.equal(one.code, 0);
  assert.match(one.stdout, /^cis:5\.2\.2: 1 check\n {2}container-not-privileged +critical +cis:5\.2\.2 +Containers are not privileged$/m);
  const section = await runCli(['checks', 'explain', 'cis:5.2']);
  assert.match(section.stdout, /container-not-privileged .*cis:5\.2\.2/);
  assert.match(section.stdout, /container-runs-as-non-root .*cis:5\.2\.7/);
  const none = await runCli(['checks', 'explain', 'cis:99.1']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no check covers cis:99\.1/);
});

test('fix prints a diff with a/ and b/ prefixes that `git apply` applies as it is', async () => {
  const git = spawnSync('git', ['--version']);
  if (git.error) {
    console.log('# git is not installed: applying the diff is not tried');
    return;
  }
  const dir = tempDir();
  try {
    cpSync(path.join(REPO_ROOT, 'examples', 'demo-cluster'), dir, { recursive: true });
    const run = await runCli(['fix', '.', '--check', 'container-read-only-root-filesystem'], { cwd: dir });
    assert.match(run.stdout, /^--- a\/shop\.yaml\n\+\+\+ b\/shop\.yaml$/m);
    writeFileSync(path.join(dir, 'fix.diff'), run.stdout);
    const apply = spawnSync('git', ['apply', 'fix.diff'], { cwd: dir, encoding: 'utf8' });
    assert.equal(apply.status, 0, apply.stderr);
    const after = JSON.parse((await runCli(['scan', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir })).stdout) as Result;
    assert.ok(!after.findings.some((f) => f.check === 'container-read-only-root-filesystem' && f.location.file === 'shop.yaml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--max-file-size: MB means 1000² bytes and MiB 1024², both accepted', async () => {
  const dir = tempDir();
  try {
    // 1,500,000 bytes: over 1MB (1,000,000), under 1.5MiB (1,572,864).
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: c, image: "x:1"}]\n';
    writeFileSync(path.join(dir, 'big.yaml'), pod + '#'.repeat(1_500_000 - pod.length - 1) + '\n');
    const mb = JSON.parse((await runCli(['scan', dir, '--max-file-size', '1MB', '--format', 'json', '--fail-on', 'none'])).stdout) as Result;
    assert.match(mb.errors[0]?.message ?? '', /over the 976\.6 KiB limit/);
    const mib = JSON.parse((await runCli(['scan', dir, '--max-file-size', '1.5MiB', '--format', 'json', '--fail-on', 'none'])).stdout) as Result;
    assert.deepEqual(mib.errors, []);
    assert.equal(mib.summary.objects, 1);
    const bad = await runCli(['scan', dir, '--max-file-size', '12 parsecs']);
    assert.equal(bad.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
