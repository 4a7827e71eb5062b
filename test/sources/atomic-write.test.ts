// Output files in a shared folder, each the regression test of an attack that once worked:
// `scan -o`, `fix --write` and `collect -o` wrote through a predictable temporary name
// (`.NAME.PID.tmp`) without O_EXCL|O_NOFOLLOW, so another user who planted a symlink there
// redirected the write into any file kubeharden could write. And `fix --write` replaced a
// symlinked manifest's link (leaving its target unfixed), lost the file's mode through the
// umask, rewrote read-only files, and ended inserted lines in LF inside a CRLF file.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeReport } from '../../src/cli/output.js';
import { writeFileAtomically, WriteError } from '../../src/sources/atomic-write.js';
import { runCli } from '../cli/run-cli.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'kh-atomic-'));
  dirs.push(d);
  return d;
}
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

test('a symlink planted at the temporary name does not redirect the report into another file', async () => {
  const dir = tempDir();
  const victim = path.join(tempDir(), 'victim.txt');
  writeFileSync(victim, 'precious\n');
  const output = path.join(dir, 'report.json');
  // Every name the old code could have used, and a spread of others.
  symlinkSync(victim, path.join(dir, `.report.json.${process.pid}.tmp`));
  symlinkSync(victim, path.join(dir, `.report.json.kubeharden-${process.pid}.tmp`));
  await writeReport('{"report":true}\n', output);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n', 'the planted link target is untouched');
  assert.equal(readFileSync(output, 'utf8'), '{"report":true}\n');
  assert.equal(lstatSync(output).isSymbolicLink(), false);
});

test('an output name that is a symlink is refused for reports, with a clear error', async () => {
  const dir = tempDir();
  const victim = path.join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n');
  symlinkSync(victim, path.join(dir, 'report.json'));
  await assert.rejects(writeReport('{}', path.join(dir, 'report.json')), /report\.json is a symbolic link; not written through it/);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  const run = await runCli(['scan', 'examples/demo-cluster', '-f', 'json', '-o', path.join(dir, 'report.json')]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /is a symbolic link; not written through it/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(leftovers(dir), []);
});

test('an existing file keeps its mode and owner; a new one gets the umask as any new file', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'out.yaml');
  writeFileSync(file, 'old\n');
  chmodSync(file, 0o664);
  chownSync(file, 1000, 1000);
  await writeFileAtomically(file, 'new\n', { symlinks: 'follow' });
  const st = statSync(file);
  assert.equal(st.mode & 0o7777, 0o664, 'group write survives the umask');
  assert.deepEqual([st.uid, st.gid], [1000, 1000]);
  assert.equal(readFileSync(file, 'utf8'), 'new\n');
  const fresh = path.join(dir, 'fresh.json');
  await writeFileAtomically(fresh, 'x', { symlinks: 'refuse', newFileMode: 0o600 });
  assert.equal(statSync(fresh).mode & 0o777, 0o600);
});

test('a failed write leaves no temporary file and says why: no space left, a missing folder', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'out.json');
  writeFileSync(file, 'old');
  // A full disk cannot be made here: the write call stands in for one that fails with ENOSPC.
  const full = { write: async () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); } };
  await assert.rejects(writeFileAtomically(file, 'new', { symlinks: 'refuse', io: full }), (err: unknown) => err instanceof WriteError && /out\.json: no space left on the device \(ENOSPC\)/.test(err.message));
  assert.equal(readFileSync(file, 'utf8'), 'old', 'the old file is whole');
  assert.deepEqual(leftovers(dir), []);
  await assert.rejects(writeFileAtomically(path.join(dir, 'no-such-folder', 'x.json'), 'x', { symlinks: 'refuse' }), /the folder does not exist \(ENOENT\)/);
  const run = await runCli(['scan', 'examples/demo-cluster', '-f', 'json', '-o', path.join(dir, 'no-such-folder', 'r.json')]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /cannot write .*r\.json: the folder does not exist/);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
});

const POD_WITHOUT_RO_ROOT = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n';

test('fix --write follows a symlinked manifest: the target is fixed, the link stays a link', async () => {
  const dir = tempDir();
  const store = tempDir();
  const target = path.join(store, 'pod.yaml');
  writeFileSync(target, POD_WITHOUT_RO_ROOT);
  symlinkSync(target, path.join(dir, 'pod.yaml'));
  const run = await runCli(['fix', dir, '--check', 'container-read-only-root-filesystem', '--write']);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(lstatSync(path.join(dir, 'pod.yaml')).isSymbolicLink(), 'the link is kept');
  assert.match(readFileSync(target, 'utf8'), /readOnlyRootFilesystem: true/);
  assert.deepEqual([...leftovers(dir), ...leftovers(store)], []);
});

test('fix --write keeps the mode through the umask, and does not rewrite a read-only file', async () => {
  const dir = tempDir();
  const shared = path.join(dir, 'shared.yaml');
  writeFileSync(shared, POD_WITHOUT_RO_ROOT);
  chmodSync(shared, 0o664);
  const locked = path.join(dir, 'locked.yaml');
  writeFileSync(locked, POD_WITHOUT_RO_ROOT.replace('name: p', 'name: q'));
  chmodSync(locked, 0o444);
  const run = await runCli(['fix', dir, '--check', 'container-read-only-root-filesystem', '--write']);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /locked\.yaml is read-only \(mode 0444\); not rewritten/);
  assert.equal(readFileSync(locked, 'utf8'), POD_WITHOUT_RO_ROOT.replace('name: p', 'name: q'));
  assert.equal(statSync(shared).mode & 0o7777, 0o664);
  assert.match(readFileSync(shared, 'utf8'), /readOnlyRootFilesystem: true/);
});

test('fix --write on a CRLF file ends the inserted lines in CRLF too', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'pod.yaml');
  writeFileSync(file, POD_WITHOUT_RO_ROOT.replace(/\n/g, '\r\n'));
  const run = await runCli(['fix', dir, '--check', 'container-read-only-root-filesystem', '--write']);
  assert.equal(run.code, 0, run.stderr);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /readOnlyRootFilesystem: true\r\n/);
  assert.doesNotMatch(text, /[^\r]\n/, 'every line ends in CRLF');
});
