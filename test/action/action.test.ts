// The GitHub Action (action.yml), run as the Actions runner runs a composite action: each
// `run` step's script in bash (`bash --noprofile --norc -eo pipefail`), with its `env:` after
// `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` are put in, GITHUB_WORKSPACE,
// GITHUB_ACTION_PATH, RUNNER_TEMP, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files the steps
// append to. The `uses:` step (code scanning upload, a GitHub service) is not run here; the
// test checks it is given the SARIF file the scan step wrote.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers.js';

interface Step {
  id?: string;
  if?: string;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `${{ inputs.x }}` and `${{ steps.s.outputs.y }}` as the runner expands them in env and with. */
function expand(text: string, inputs: Record<string, string>, outputs: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*(inputs\.([\w-]+)|steps\.([\w-]+)\.outputs\.([\w-]+))\s*\}\}/g, (_, _all, input, step, out) =>
    input !== undefined ? (inputs[input] ?? action.inputs[input]?.default ?? '') : (outputs[step]?.[out] ?? ''),
  );
}

function readOutputs(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

function runAction(workspace: string, inputs: Record<string, string>) {
  const temp = mkdtempSync(path.join(tmpdir(), 'kubeharden-runner-'));
  dirs.push(temp);
  const summary = path.join(temp, 'step_summary.md');
  writeFileSync(summary, '');
  const outputs: Record<string, Record<string, string>> = {};
  const uploads: Record<string, string>[] = [];
  let lastStatus = 0;
  for (const [i, step] of action.runs.steps.entries()) {
    if (step.uses) {
      assert.match(step.if ?? '', /inputs\.upload-sarif == 'true'/);
      if ((inputs['upload-sarif'] ?? action.inputs['upload-sarif']!.default) === 'true') {
        uploads.push(Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v, inputs, outputs)])));
      }
      continue;
    }
    assert.equal(step.shell, 'bash');
    assert.equal(step.if, undefined, 'run steps run unconditionally in this test');
    const outFile = path.join(temp, `output_${i}`);
    writeFileSync(outFile, '');
    const script = path.join(temp, `step_${i}.sh`);
    writeFileSync(script, step.run!);
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, inputs, outputs)]));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      encoding: 'utf8',
      env: { ...process.env, ...stepEnv, GITHUB_WORKSPACE: workspace, GITHUB_ACTION_PATH: REPO_ROOT, RUNNER_TEMP: temp, GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: summary, CI: 'true', GITHUB_ACTIONS: 'true' },
    });
    lastStatus = r.status ?? -1;
    if (step.id) outputs[step.id] = readOutputs(outFile);
    if (lastStatus !== 0 && i < action.runs.steps.length - 1) assert.fail(`step ${i} failed: ${r.stdout}\n${r.stderr}`);
  }
  return { status: lastStatus, outputs: outputs.scan ?? {}, summary: readFileSync(summary, 'utf8'), uploads };
}

function workspaceWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-workspace-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const PRIVILEGED = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n  - {name: c, image: nginx:1.27, securityContext: {privileged: true}}\n';

test('action.yml is a composite action whose inputs all reach the scan step', () => {
  assert.equal(action.runs.using, 'composite');
  const scan = action.runs.steps.find((s) => s.id === 'scan')!;
  for (const name of Object.keys(action.inputs).filter((n) => n !== 'upload-sarif')) {
    assert.ok(Object.values(scan.env ?? {}).includes(`\${{ inputs.${name} }}`), `input ${name} is passed to the scan step`);
  }
});

test('a finding at or above fail-on: SARIF written and handed to the upload, job summary, outputs, the job fails', () => {
  const ws = workspaceWith({ 'k8s/app.yaml': PRIVILEGED, 'docs/readme.md': 'not scanned' });
  const run = runAction(ws, { paths: 'k8s', 'fail-on': 'high' });
  assert.equal(run.status, 1, 'the last step fails the job with the scan exit code');
  assert.equal(run.outputs['exit-code'], '1');
  assert.ok(Number(run.outputs.findings) > 0);
  assert.equal(run.outputs['sarif-file'], path.join(ws, 'kubeharden.sarif'));
  const sarif = JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[] }[] };
  const privileged = sarif.runs[0]!.results.find((r) => r.ruleId === 'container-not-privileged')!;
  assert.deepEqual(privileged.locations[0]!.physicalLocation.artifactLocation, { uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(run.uploads, [{ sarif_file: path.join(ws, 'kubeharden.sarif'), category: 'kubeharden' }]);
  assert.match(run.summary, /^## kubeharden: manifests in `k8s`/);
  assert.match(run.summary, /❌ \*\*Fails:\*\*/);
  const result = JSON.parse(readFileSync(run.outputs['result-file']!, 'utf8')) as { findings: unknown[] };
  assert.equal(result.findings.length, Number(run.outputs.findings));
});

test('fail-on none, no upload, no summary, extra args: the job passes and nothing else is written', () => {
  const ws = workspaceWith({ 'app.yaml': PRIVILEGED });
  const run = runAction(ws, { 'fail-on': 'none', 'upload-sarif': 'false', summary: 'false', args: '--framework cis', 'sarif-file': 'out/k.sarif' });
  assert.equal(run.status, 0);
  assert.equal(run.outputs['exit-code'], '0');
  assert.deepEqual(run.uploads, []);
  assert.equal(run.summary, '');
  assert.equal(run.outputs['sarif-file'], path.join(ws, 'out', 'k.sarif'));
  const result = JSON.parse(readFileSync(run.outputs['result-file']!, 'utf8')) as { settings: { frameworks: string[] } };
  assert.deepEqual(result.settings.frameworks, ['cis']);
});

test('an input that cannot be read: exit code 2, the job fails', () => {
  const ws = workspaceWith({ 'bad.yaml': 'kind: [unclosed\n' });
  const run = runAction(ws, { paths: 'bad.yaml missing-folder' });
  assert.equal(run.outputs['exit-code'], '2');
  assert.equal(run.status, 2);
});
