// The pre-commit hook (.pre-commit-hooks.yaml), installed and run by the real pre-commit
// (`pre-commit try-repo`, which installs the hook from this repository with npm as it would
// from a `repo:` entry) on a git repository of manifests. pre-commit is a Python tool: the test
// runs where it is installed (KUBEHARDEN_PRE_COMMIT=/path/to/pre-commit, or on PATH); .ci/run
// installs it into a virtualenv outside the checkout and requires it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers.js';

function findPreCommit(): string | undefined {
  if (process.env.KUBEHARDEN_PRE_COMMIT) return process.env.KUBEHARDEN_PRE_COMMIT;
  const which = spawnSync('sh', ['-c', 'command -v pre-commit'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

test('.pre-commit-hooks.yaml: one node hook that scans the files it is given', () => {
  const hooks = parse(readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; types_or: string[] }[];
  assert.deepEqual(hooks.map((h) => [h.id, h.language, h.entry]), [['kubeharden', 'node', 'kubeharden scan --format table --fail-on high']]);
  assert.deepEqual(hooks[0]!.types_or, ['yaml', 'json']);
});

test('pre-commit try-repo: the hook installs from this repository and fails the commit on a privileged pod', (t) => {
  const preCommit = findPreCommit();
  if (!preCommit && process.env.CI) assert.fail('CI needs pre-commit (KUBEHARDEN_PRE_COMMIT) for the hook test');
  if (!preCommit) {
    t.skip('pre-commit is not installed (pip install pre-commit): the hook was not run by pre-commit');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-pre-commit-'));
  try {
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, 'k8s'), { recursive: true });
    const git = (...args: string[]) => assert.equal(spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo }).status, 0, `git ${args.join(' ')}`);
    git('init', '-q');
    const env = { ...process.env, PRE_COMMIT_HOME: path.join(dir, 'cache'), npm_config_update_notifier: 'false' };
    const tryRepo = () => spawnSync(preCommit, ['try-repo', REPO_ROOT, 'kubeharden', '--all-files', '--color', 'never'], { cwd: repo, env, encoding: 'utf8', timeout: 600_000 });

    // One run (each installs the hook afresh, about a minute): a privileged DaemonSet, and a
    // file that is not YAML the hook must not be given.
    cpSync(path.join(REPO_ROOT, 'examples', 'demo-cluster', 'logging.yaml'), path.join(repo, 'k8s', 'logging.yaml'));
    writeFileSync(path.join(repo, 'notes.txt'), 'not a manifest\n');
    git('add', '-A');
    git('commit', '-qm', 'privileged');
    const failing = tryRepo();
    assert.equal(failing.status, 1, failing.stdout + failing.stderr);
    assert.match(failing.stdout, /kubeharden \(Kubernetes hardening\)\.+Failed/);
    assert.match(failing.stdout, /container-not-privileged/);
    assert.doesNotMatch(failing.stdout, /notes\.txt/);

  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
