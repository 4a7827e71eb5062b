// Hostile files in a scanned folder and in a node root, each the regression test of an attack
// that once worked: a `*.yaml` symlink to /dev/zero grew memory without bound (its size is 0, so
// --max-file-size never applied), a FIFO blocked forever, an alias bomb with anchors named `.x`
// slipped past the expansion guard (2 GiB and a crash losing the whole scan), and an absolute
// symlink inside --root was followed on the auditing host instead of inside the root.
// Every run is a real CLI process with a small heap and a kill timer: an old bug shows as a
// crash or a kill, never as a test runner that hangs. The timer only bounds a hang; nothing here
// asserts on time.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBounded, type BoundedRun } from '../cli/run-bounded.js';
import { Host } from '../../src/sources/node/host.js';
import { loadManifests } from '../../src/sources/manifests.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'kh-hostile-files-'));
  dirs.push(d);
  return d;
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: fine, namespace: shop}\nspec:\n  containers:\n  - {name: app, image: nginx, securityContext: {privileged: true}}\n';

function errorsOf(run: BoundedRun): { source: string; message: string }[] {
  assert.equal(run.killed, false, 'the scan finished');
  assert.doesNotMatch(run.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
  return JSON.parse(run.stdout).errors;
}

test('a *.yaml symlink to /dev/zero is refused as a device, and the rest of the folder is scanned', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'pod.yaml'), POD);
  symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
  const run = await runBounded(['scan', dir, '-f', 'json', '--fail-on', 'none']);
  const errors = errorsOf(run);
  assert.equal(run.code, 2);
  assert.ok(errors.some((e) => e.source.endsWith('zero.yaml') && /is a device, not a regular file/.test(e.message)), JSON.stringify(errors));
  assert.ok(JSON.parse(run.stdout).findings.some((f: any) => f.resource.name === 'fine'), 'the other file is reported');
});

test('a FIFO named *.yaml is refused at once, never waited on', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'pod.yaml'), POD);
  execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
  symlinkSync(path.join(dir, 'pipe.yaml'), path.join(dir, 'link-to-pipe.yaml'));
  const run = await runBounded(['scan', dir, '-f', 'json', '--fail-on', 'none'], { killAfterMs: 30_000 });
  const errors = errorsOf(run);
  for (const name of ['pipe.yaml', 'link-to-pipe.yaml']) {
    assert.ok(errors.some((e) => e.source.endsWith(`/${name}`) && /is a FIFO \(named pipe\), not a regular file/.test(e.message)), JSON.stringify(errors));
  }
  // Named on the command line too.
  const direct = await runBounded(['scan', path.join(dir, 'pipe.yaml'), '-f', 'json'], { killAfterMs: 30_000 });
  assert.ok(errorsOf(direct).some((e) => /FIFO/.test(e.message)));
});

test('the bytes actually read are capped, whatever size the file claims', async () => {
  // /dev/zero named directly reports size 0 and never ends.
  const { inventory } = await loadManifests(['/dev/zero'], { maxFileBytes: 1024 });
  assert.match(inventory.problems[0]!.message, /is a device, not a regular file/);
});

function aliasBomb(anchor: (i: number) => string): string {
  let bomb = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n';
  bomb += `  l0: &${anchor(0)} ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
  for (let i = 1; i <= 9; i++) bomb += `  l${i}: &${anchor(i)} [${Array(10).fill(`*${anchor(i - 1)}`).join(',')}]\n`;
  return bomb;
}

for (const [what, anchor] of [
  ['starting with a dot', (i: number) => `.a${i}`],
  ['made of dots and dashes', (i: number) => `.-${'.'.repeat(i + 1)}`],
  ['with characters a pattern might miss', (i: number) => `x.${i}:é`],
] as const) {
  test(`an alias bomb whose anchor names are ${what} is an error for that file, and the scan goes on`, async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bomb.yaml'), aliasBomb(anchor));
    writeFileSync(path.join(dir, 'pod.yaml'), POD);
    const run = await runBounded(['scan', dir, '-f', 'json', '--fail-on', 'none']);
    const errors = errorsOf(run);
    assert.ok(errors.some((e) => e.source.endsWith('bomb.yaml') && /alias bomb/.test(e.message)), JSON.stringify(errors));
    assert.ok(JSON.parse(run.stdout).findings.some((f: any) => f.resource.name === 'fine'));
  });
}

test('an absolute symlink inside --root resolves inside the root, never on the auditing host', () => {
  const root = tempDir();
  mkdirSync(path.join(root, 'etc', 'kubernetes'), { recursive: true });
  mkdirSync(path.join(root, 'srv', 'kh-only-in-root'), { recursive: true });
  const real = path.join(root, 'srv', 'kh-only-in-root', 'admin.conf');
  writeFileSync(real, 'apiVersion: v1\nkind: Config\n');
  chmodSync(real, 0o600);
  // The host audited has /etc/kubernetes/admin.conf -> /srv/kh-only-in-root/admin.conf; the auditing machine has no /srv/kh-only-in-root.
  symlinkSync('/srv/kh-only-in-root/admin.conf', path.join(root, 'etc', 'kubernetes', 'admin.conf'));
  // A link that climbs with .. stays inside the root as well.
  symlinkSync('../../../../../../srv/kh-only-in-root/admin.conf', path.join(root, 'etc', 'kubernetes', 'climbing.conf'));
  // A link to the auditing host's /etc/passwd reads the root's (absent) one.
  symlinkSync('/etc/passwd', path.join(root, 'etc', 'kubernetes', 'passwd-link'));
  const host = new Host(root);
  const st = host.stat('/etc/kubernetes/admin.conf');
  assert.ok(st.exists && st.error === undefined, JSON.stringify(st));
  if (st.exists && st.error === undefined) assert.equal(st.mode, 0o600);
  const text = host.readText('/etc/kubernetes/climbing.conf');
  assert.ok(text.ok && /kind: Config/.test(text.text), JSON.stringify(text));
  assert.equal(host.stat('/etc/kubernetes/passwd-link').exists, false);
  // A loop is an error, not a hang.
  symlinkSync('/etc/kubernetes/loop-b', path.join(root, 'etc', 'kubernetes', 'loop-a'));
  symlinkSync('/etc/kubernetes/loop-a', path.join(root, 'etc', 'kubernetes', 'loop-b'));
  const loop = host.stat('/etc/kubernetes/loop-a');
  assert.ok(loop.exists && loop.error !== undefined && /symbolic links/.test(loop.error), JSON.stringify(loop));
});

test('scan --node --root: a FIFO and a device in the root are refused, never read', async () => {
  const root = tempDir();
  mkdirSync(path.join(root, 'etc', 'kubernetes', 'manifests'), { recursive: true });
  mkdirSync(path.join(root, 'var', 'lib', 'kubelet'), { recursive: true });
  execFileSync('mkfifo', [path.join(root, 'etc', 'kubernetes', 'manifests', 'kube-apiserver.yaml')]);
  execFileSync('mkfifo', [path.join(root, 'var', 'lib', 'kubelet', 'config.yaml')]);
  const run = await runBounded(['scan', '--node', '--root', root, '--node-name', 'n1', '-f', 'json', '--fail-on', 'none'], { killAfterMs: 60_000 });
  assert.equal(run.killed, false, 'the node scan finished');
  assert.doesNotMatch(run.stderr, /\n\s+at .*:\d+:\d+\)/);
  assert.match(run.stdout + run.stderr, /FIFO \(named pipe\), not a regular file/);
  // The host's own /dev/zero, read through a Host at /, is refused too.
  const zero = new Host('/').readText('/dev/zero');
  assert.ok(!zero.ok && /device/.test(zero.message), JSON.stringify(zero));
});
