import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli.js';
import type { Result } from '../../src/result/result.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: app}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n';

test('scan - reads stdin and prints the JSON Result when stdout is not a terminal', async () => {
  const run = await runCli(['scan', '-'], { input: POD });
  const result = JSON.parse(run.stdout) as Result;
  assert.equal(result.schemaVersion, 1);
  assert.equal(result.tool.name, 'kubeharden');
  assert.equal(result.summary.objects, 1);
  const finding = result.findings.find((f) => f.check === 'container-read-only-root-filesystem');
  assert.deepEqual(finding?.location, { file: '<stdin>', path: 'spec.containers[0].securityContext.readOnlyRootFilesystem', line: 6, column: 5 });
  assert.deepEqual(finding?.resource, { apiVersion: 'v1', kind: 'Pod', namespace: 'app', name: 'p' });
});

test('--fail-on decides exit 1 versus 0', async () => {
  const low = await runCli(['scan', '-', '--fail-on', 'low'], { input: POD });
  assert.equal(low.code, 1);
  const none = await runCli(['scan', '-', '--fail-on', 'none'], { input: POD });
  assert.equal(none.code, 0);
});

test('--output writes the report to a file and nothing to stdout', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-cli-'));
  const out = path.join(dir, 'report.json');
  const run = await runCli(['scan', '-', '-o', out, '--fail-on', 'none'], { input: POD });
  assert.equal(run.code, 0);
  assert.equal(run.stdout, '');
  assert.equal((JSON.parse(readFileSync(out, 'utf8')) as Result).summary.objects, 1);
});

test('usage errors exit 2 with a message on stderr', async () => {
  const badFormat = await runCli(['scan', '-', '--format', 'pdf'], { input: POD });
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /argument 'pdf' is invalid/);
  const badVersion = await runCli(['scan', '-', '--pss-version', '1.30'], { input: POD });
  assert.equal(badVersion.code, 2);
  assert.match(badVersion.stderr, /--pss-version must be latest or v1\.N/);
});

test('a malformed config file is a clear error, never ignored', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-cfg-'));
  writeFileSync(path.join(dir, '.kubeharden.yaml'), 'exceptions:\n  - check: container-read-only-root-filesystem\n');
  const run = await runCli(['scan', '-'], { input: POD, cwd: dir });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /\.kubeharden\.yaml: invalid configuration:\n {2}exceptions\.0\.reason: Required/);
  const missing = await runCli(['scan', '-', '--config', path.join(dir, 'nope.yaml')], { input: POD });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.yaml: cannot read the configuration/);
});

test('the default .kubeharden.yaml in the working folder is applied', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-cfg-'));
  writeFileSync(path.join(dir, '.kubeharden.yaml'), 'checks:\n  severity:\n    container-read-only-root-filesystem: critical\n');
  const run = await runCli(['scan', '-', '--format', 'json'], { input: POD, cwd: dir });
  const result = JSON.parse(run.stdout) as Result;
  assert.equal(result.summary.findings.critical >= 1, true);
  assert.equal(result.target.config, '.kubeharden.yaml');
  assert.equal(run.code, 1);
});

test('table output groups by file and resource and ends with a summary', async () => {
  const run = await runCli(['scan', '-', '--format', 'table', '--fail-on', 'none'], { input: POD });
  assert.match(run.stdout, /^<stdin>\n {2}Pod app\/p\n {4}[A-Z]+ +\d+:\d+ /);
  assert.match(run.stdout, /^ {4}HIGH +6:5 +container "c" does not set securityContext\.capabilities\.drop/m);
  assert.match(run.stdout, /^ {4}LOW +6:5 +container "c" does not set securityContext\.readOnlyRootFilesystem: true container-read-only-root-filesystem$/m);
  assert.match(run.stdout, /How to fix/);
  assert.match(run.stdout, /Summary: 1 object scanned/);
  assert.doesNotMatch(run.stdout, /\x1b\[/, 'NO_COLOR disables colour');
});

test('help shows examples; checks list and explain work', async () => {
  const help = await runCli(['scan', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Examples:\n {2}\$ kubeharden scan k8s\//);
  const list = await runCli(['checks', 'list', '--format', 'json']);
  const ids = (JSON.parse(list.stdout) as { id: string }[]).map((c) => c.id);
  assert.ok(ids.includes('container-read-only-root-filesystem'));
  const explain = await runCli(['checks', 'explain', 'container-read-only-root-filesystem']);
  assert.match(explain.stdout, /^container-read-only-root-filesystem — Containers run with a read-only root filesystem/);
  assert.match(explain.stdout, /Fix: Set securityContext\.readOnlyRootFilesystem: true/);
  const unknown = await runCli(['checks', 'explain', 'read-only']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no check with id read-only \(did you mean container-read-only-root-filesystem/);
});

test('the scanner never writes to its inputs', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-ro-'));
  const file = path.join(dir, 'pod.yaml');
  writeFileSync(file, POD);
  await runCli(['scan', file]);
  assert.equal(readFileSync(file, 'utf8'), POD);
  assert.equal(existsSync(path.join(dir, '.pod.yaml.tmp')), false);
});

test('--baseline reports only findings that are new since the baseline', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-base-'));
  const baseline = path.join(dir, 'base.json');
  await runCli(['scan', '-', '-o', baseline], { input: POD });
  // Reformatted and with a second container: only the new container's finding is new.
  const changed = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: app\nspec:\n  containers:\n  - {name: c, image: "nginx:1.27"}\n  - {name: sidecar, image: "envoy:1.30"}\n';
  const run = await runCli(['scan', '-', '--baseline', baseline, '--format', 'json', '--fail-on', 'low'], { input: changed });
  const result = JSON.parse(run.stdout) as Result;
  assert.ok(result.findings.length > 0);
  assert.ok(result.findings.every((f) => f.location.path.startsWith('spec.containers[1]')), 'only the new container is reported');
  const baselineCount = (JSON.parse(readFileSync(baseline, 'utf8')) as Result).findings.length;
  assert.equal(result.summary.inBaseline, baselineCount);
  assert.equal(run.code, 1);
  const bad = await runCli(['scan', '-', '--baseline', path.join(dir, 'missing.json')], { input: POD });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /missing\.json: cannot read the baseline/);
});
