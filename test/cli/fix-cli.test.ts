import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli.js';
import { REPO_ROOT } from '../helpers.js';
import type { Result } from '../../src/result/result.js';

test('fix shows a diff by default and changes nothing', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-fix-'));
  cpSync(path.join(REPO_ROOT, 'examples', 'demo-cluster'), dir, { recursive: true });
  const before = readFileSync(path.join(dir, 'shop.yaml'), 'utf8');
  const run = await runCli(['fix', dir, '--check', 'container-read-only-root-filesystem']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^\+ +readOnlyRootFilesystem: true$/m);
  assert.match(run.stderr, /would apply \d+ fix\(es\)/);
  assert.equal(readFileSync(path.join(dir, 'shop.yaml'), 'utf8'), before);
});

test('fix --write applies the fixes, and a new scan no longer finds them', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-fix-'));
  cpSync(path.join(REPO_ROOT, 'examples', 'demo-cluster'), dir, { recursive: true });
  const scanBefore = JSON.parse((await runCli(['scan', dir, '--format', 'json'])).stdout) as Result;
  const fixable = scanBefore.findings.filter((f) => f.fix?.length);
  assert.ok(fixable.length > 0);
  const run = await runCli(['fix', dir, '--write']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`applied ${fixable.length} fix\\(es\\)`));
  const scanAfter = JSON.parse((await runCli(['scan', dir, '--format', 'json'])).stdout) as Result;
  const stillThere = scanAfter.findings.filter((f) => fixable.some((b) => b.fingerprint === f.fingerprint));
  assert.deepEqual(stillThere.map((f) => `${f.check} ${f.location.path}`), []);
  assert.deepEqual(scanAfter.errors, []);
  // No temporary files are left behind.
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), []);
  // Comments survive.
  assert.match(readFileSync(path.join(dir, 'shop.yaml'), 'utf8'), /^# The storefront: the "it works, ship it" deployment\.$/m);
});

test('fix - prints the fixed YAML for stdin', async () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n';
  const run = await runCli(['fix', '-', '--check', 'container-read-only-root-filesystem'], { input: pod });
  assert.equal(run.stdout, pod + '    securityContext:\n      readOnlyRootFilesystem: true\n');
});
