// `kubeharden version` and `kubeharden completion bash|zsh|fish`. The bash script is loaded
// into a real bash and its completion function is called as bash calls it (COMP_WORDS,
// COMP_CWORD); zsh and fish scripts are syntax-checked by those shells when installed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli.js';
import { REPO_ROOT } from '../helpers.js';

const PKG = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

test('version: the version, commit, Node.js version and the framework editions', async () => {
  const text = await runCli(['version']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^kubeharden ${PKG.version.replace(/\./g, '\\.')} \\(commit ([0-9a-f]{12}(-dirty)?|unknown)\\)\\n`));
  assert.ok(text.stdout.includes(`Node.js ${process.version}`));
  for (const edition of ['CIS Kubernetes Benchmark v1.12', 'NSA/CISA Kubernetes Hardening Guidance 1.2', 'Pod Security Standards latest = v1.37']) assert.ok(text.stdout.includes(edition), edition);
  const json = await runCli(['version', '--format', 'json']);
  const info = JSON.parse(json.stdout) as { version: string; commit: string; node: string; frameworks: Record<string, string> };
  assert.equal(info.version, PKG.version);
  assert.equal(info.node, process.version);
  const head = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (head.status === 0) assert.equal(info.commit.replace(/-dirty$/, ''), head.stdout.trim());
  assert.deepEqual(Object.keys(info.frameworks), ['cis', 'nsa', 'pss']);
});

/** Asks the bash completion function what it offers for a command line ending in `words`. */
function complete(script: string, words: string[], cwd: string): string[] {
  const body = `source ${JSON.stringify(script)}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})\nCOMP_CWORD=${words.length - 1}\n_kubeharden\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', body], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

test('completion bash: commands, subcommands, options and their choices, files for paths', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-completion-'));
  try {
    const run = await runCli(['completion', 'bash']);
    assert.equal(run.code, 0, run.stderr);
    const script = path.join(dir, 'kubeharden.bash');
    writeFileSync(script, run.stdout);
    writeFileSync(path.join(dir, 'deploy.yaml'), '');
    assert.deepEqual(complete(script, ['kubeharden', 'sc'], dir), ['scan']);
    assert.deepEqual(complete(script, ['kubeharden', 'rbac', ''], dir), ['can', 'paths', 'test', 'unused', 'who-can']);
    assert.deepEqual(complete(script, ['kubeharden', 'scan', '--format', 's'], dir), ['sarif']);
    assert.deepEqual(complete(script, ['kubeharden', 'scan', '--junit-cases', ''], dir), ['check', 'object']);
    assert.ok(complete(script, ['kubeharden', 'scan', '--fail'], dir).includes('--fail-on'));
    assert.deepEqual(complete(script, ['kubeharden', 'scan', 'dep'], dir), ['deploy.yaml']);
    assert.deepEqual(complete(script, ['kubectl-kubeharden', 'vers'], dir), ['version']);
    assert.match(run.stdout, /complete -o filenames -F _kubeharden kubeharden kubectl-kubeharden\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('completion zsh and fish: scripts each shell reads and completes with; an unknown shell is a usage error', async (t) => {
  const zsh = await runCli(['completion', 'zsh']);
  assert.equal(zsh.code, 0);
  assert.match(zsh.stdout, /^#compdef kubeharden kubectl-kubeharden\nautoload -U \+X bashcompinit && bashcompinit\n/);
  const fish = await runCli(['completion', 'fish']);
  assert.equal(fish.code, 0);
  assert.match(fish.stdout, /^complete -c kubeharden -n '__fish_use_subcommand' -f -a scan -d /m);
  assert.match(fish.stdout, /^complete -c kubeharden -n '__fish_seen_subcommand_from scan' -l format -s f -x -a 'table json ndjson sarif junit html markdown policyreport gitlab' /m);
  const bad = await runCli(['completion', 'tcsh']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown shell tcsh/);
  for (const [shell, text] of [['zsh', zsh.stdout], ['fish', fish.stdout]] as const) {
    const bin = [`/usr/bin/${shell}`, `/bin/${shell}`].find((p) => existsSync(p));
    if (!bin && process.env.CI) assert.fail(`CI needs ${shell} for the completion test (apt-get install ${shell})`);
    if (!bin) {
      t.diagnostic(`${shell} is not installed: its script was not syntax-checked by ${shell}`);
      continue;
    }
    const dir = mkdtempSync(path.join(tmpdir(), `kubeharden-${shell}-`));
    try {
      const script = path.join(dir, 'completion');
      writeFileSync(script, text);
      const r = spawnSync(bin, [shell === 'zsh' ? '-n' : '--no-execute', script], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${shell}: ${r.stderr}`);
      if (shell === 'fish') {
        // fish's own completion engine, as at a prompt.
        const ask = (line: string) => spawnSync(bin, ['--no-config', '-c', `source ${script}; complete -C ${JSON.stringify(line)}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]).sort();
        assert.deepEqual(ask('kubeharden sc'), ['scan']);
        assert.deepEqual(ask('kubeharden scan --format s'), ['sarif']);
        assert.deepEqual(ask('kubeharden rbac '), ['can', 'paths', 'test', 'unused', 'who-can']);
        assert.deepEqual(ask('kubectl-kubeharden vers'), ['version']);
      } else {
        // Under zsh's bash emulation the function finds the subcommand path (zsh then filters
        // the candidates by the typed prefix itself).
        const body = `autoload -U +X compinit && compinit -u -d ${dir}/zcompdump; source ${script}; setopt ksharrays; COMP_WORDS=(kubeharden rbac wh); COMP_CWORD=2; _kubeharden; print -l "\${COMPREPLY[@]}"`;
        const z = spawnSync(bin, ['-f', '-c', body], { encoding: 'utf8' });
        assert.equal(z.status, 0, z.stderr);
        assert.deepEqual(z.stdout.split('\n').filter(Boolean).sort(), ['can', 'paths', 'test', 'unused', 'who-can']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
