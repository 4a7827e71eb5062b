// Bad input never crashes the scan: each problem is reported with the file (and line where
// there is one), everything else is still scanned, and the exit code says so.

import { ALL_CHECKS } from '../../src/checks/index.js';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadManifests } from '../../src/sources/manifests.js';
import { scanManifests } from '../../src/engine/scan.js';
import { runCli } from '../cli/run-cli.js';

let dir: string;
const GOOD_POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: good, namespace: app}\nspec:\n  containers:\n  - {name: c, image: nginx:1.27}\n';

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kh-bad-'));
  writeFileSync(path.join(dir, 'good.yaml'), GOOD_POD);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

test('malformed YAML: error with file and line; later documents and files still read', async () => {
  const bad = write('malformed.yaml', GOOD_POD.replace('good', 'first') + '---\nkind: Pod\nspec: {containers: [\n---\n' + GOOD_POD.replace('good', 'third'));
  const { inventory } = await loadManifests([bad, path.join(dir, 'good.yaml')]);
  assert.deepEqual(inventory.objects.map((o) => o.name), ['first', 'third', 'good']);
  const [problem] = inventory.problems;
  assert.equal(problem?.source, bad);
  assert.equal(problem?.level, 'error');
  assert.match(problem!.message, /invalid YAML/);
  assert.ok(problem!.line! >= 8 && problem!.line! <= 10, `line ${problem!.line}`);
});

test('binary file: clear error, not parsed', async () => {
  const bin = write('image.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48]));
  const { inventory } = await loadManifests([bin]);
  assert.equal(inventory.size, 0);
  assert.match(inventory.problems[0]!.message, /binary file/);
  assert.equal(inventory.problems[0]!.source, bin);
});

test('empty file named on the command line: error; inside a folder: warning', async () => {
  const empty = write('empty/empty.yaml', '');
  const named = await loadManifests([empty]);
  assert.deepEqual(named.inventory.problems.map((p) => [p.level, p.message]), [['error', 'file is empty: no Kubernetes objects in it']]);
  const inFolder = await loadManifests([path.dirname(empty)]);
  assert.equal(inFolder.inventory.problems[0]!.level, 'warning');
});

test('a document that is a scalar or a list is reported, the rest is read', async () => {
  const file = write('odd-docs.yaml', 'just a string\n---\n- a\n- b\n---\n' + GOOD_POD);
  const { inventory } = await loadManifests([file]);
  assert.equal(inventory.size, 1);
  assert.deepEqual(inventory.problems.map((p) => [p.line, p.message]), [
    [1, 'document is a string scalar, not a Kubernetes object'],
    [3, 'document is a list, not a Kubernetes object'],
  ]);
});

test('an object whose containers is a string: error naming the object and field; its pod checks do not run', async () => {
  const file = write('containers-string.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\nspec:\n  template:\n    spec:\n      containers: nginx\n');
  const result = await scanManifests([file]);
  // Object checks that read no pod template (the replica count) still judge the Deployment.
  const podChecks = new Set(ALL_CHECKS.filter((c) => c.scope === 'pod').map((c) => c.id));
  assert.deepEqual(result.findings.filter((f) => podChecks.has(f.check)), []);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]!.source, file);
  assert.equal(result.errors[0]!.line, 1);
  assert.match(result.errors[0]!.message, /Deployment app\/web: spec\.template\.spec\.containers must be a list of containers, got a string/);
});

test('wrong scalar types in fields checks read are reported', async () => {
  const file = write('wrong-types.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: "true"\n  containers:\n  - name: c\n    image: nginx\n    securityContext: {runAsUser: root}\n');
  const { inventory } = await loadManifests([file]);
  const messages = inventory.problems.map((p) => p.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0]!, /spec\.hostPID must be a boolean, got a string "true"/);
  assert.match(messages[1]!, /spec\.containers\[0\]\.securityContext\.runAsUser must be an integer, got a string "root"/);
});

test('an alias bomb is an error naming the file, and the scan goes on', async () => {
  let bomb = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n';
  bomb += '  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i <= 9; i++) bomb += `  l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(',')}]\n`;
  const file = write('bomb.yaml', bomb);
  const { inventory } = await loadManifests([file, path.join(dir, 'good.yaml')]);
  assert.deepEqual(inventory.objects.map((o) => o.name), ['good']);
  assert.match(inventory.problems[0]!.message, /alias bomb/);
  assert.equal(inventory.problems[0]!.source, file);
});

test('a 50 MB file is refused with its size, unless the limit is raised', async () => {
  const line = '# ' + 'x'.repeat(1022) + '\n';
  const big = write('big.yaml', GOOD_POD.replace('good', 'big') + line.repeat(50 * 1024));
  const refused = await loadManifests([big, path.join(dir, 'good.yaml')]);
  assert.deepEqual(refused.inventory.objects.map((o) => o.name), ['good']);
  assert.match(refused.inventory.problems[0]!.message, /file is 50\.0 MiB, over the 32\.0 MiB limit; not read \(raise it with --max-file-size\)/);
  const raised = await loadManifests([big], { maxFileBytes: 64 * 1024 * 1024 });
  assert.deepEqual(raised.inventory.objects.map((o) => o.name), ['big']);
});

test('a missing path and a folder without manifests are reported', async () => {
  const missing = path.join(dir, 'nope.yaml');
  const emptyDir = path.join(dir, 'no-yaml');
  mkdirSync(emptyDir, { recursive: true });
  writeFileSync(path.join(emptyDir, 'README.md'), '# hi');
  const { inventory } = await loadManifests([missing, emptyDir]);
  assert.deepEqual(inventory.problems.map((p) => [p.source, p.message, p.level]), [
    [missing, 'no such file or folder', 'error'],
    [emptyDir, 'folder holds no .yaml, .yml or .json files', 'warning'],
  ]);
});

test('kind: List items and JSON files are read as objects', async () => {
  const list = write('list.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'app' } })), 42] }));
  const { inventory } = await loadManifests([list]);
  assert.deepEqual(inventory.objects.map((o) => [o.kind, o.name, o.source.pathInDoc]), [['ServiceAccount', 'sa', ['items', 0]]]);
  assert.match(inventory.problems[0]!.message, /^items\[1\]: document is a number scalar/);
});

test('CLI: bad input exits 2 with the problem on stderr in table format, and good files are still reported', async () => {
  const bad = write('cli/bad.yaml', 'kind: [\n');
  write('cli/pod.yaml', GOOD_POD);
  const run = await runCli(['scan', path.dirname(bad), '--format', 'table']);
  assert.equal(run.code, 2);
  assert.match(run.stdout, /Errors\n.*cli\/bad\.yaml:\d+:\d+: invalid YAML/);
  assert.match(run.stdout, /Pod app\/good/);
});

test('a folder scan skips hidden files and folders (tool settings, CI workflows); a hidden file named explicitly is read', async () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'kh-hidden-'));
  try {
    writeFileSync(path.join(repo, 'pod.yaml'), GOOD_POD);
    writeFileSync(path.join(repo, '.kubeharden.yaml'), 'exceptions: []\n');
    mkdirSync(path.join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(path.join(repo, '.github', 'workflows', 'ci.yml'), 'on: push\njobs: {test: {runs-on: ubuntu-latest}}\n');
    const { inventory, files } = await loadManifests([repo]);
    assert.deepEqual(files, [path.join(repo, 'pod.yaml')]);
    assert.deepEqual(inventory.problems, []);
    const named = await loadManifests([path.join(repo, '.github', 'workflows', 'ci.yml')]);
    assert.match(named.inventory.problems[0]!.message, /no `kind`/);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
