// `kubeharden scan .` on whole repositories: what is not Kubernetes is skipped, paths can be
// left out, and the exit code says what the user needs. These tests need no helm or
// kustomize: the chart and the overlays of the fixture repository are excluded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli/run-cli.js';
import { REPO_ROOT } from '../../helpers.js';
import type { Result } from '../../../src/result/result.js';

const SHOP = path.join(REPO_ROOT, 'test/fixtures/repos/shop');

function json(stdout: string): Result {
  return JSON.parse(stdout) as Result;
}

function tempRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeharden-repo-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const PRIVILEGED_POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: c, image: "x:1", securityContext: {privileged: true}}]\n';

test('an application repository: package.json, compose, OpenAPI, tsconfig are skipped, not errors; exit follows the findings', async () => {
  const run = await runCli(['scan', '.', '--exclude', 'deploy/**', '--format', 'json', '--fail-on', 'none', '--verbose'], { cwd: SHOP });
  assert.equal(run.code, 0, run.stderr);
  const result = json(run.stdout);
  assert.deepEqual(result.errors, []);
  const skipped = new Map((result.skipped ?? []).map((s) => [s.source, s.reason]));
  for (const file of ['package.json', 'docker-compose.yml', 'api/openapi.yaml', 'config/settings.json']) {
    assert.match(skipped.get(file) ?? '', /not a Kubernetes object/, file);
  }
  assert.match(skipped.get('tsconfig.json') ?? '', /not valid YAML or JSON/);
  // --verbose names each skipped path on stderr.
  assert.match(run.stderr, /skipped package\.json: no apiVersion\/kind/);
  // Only the real manifest was scanned; the workflow in .github is a hidden folder.
  assert.deepEqual([...new Set(result.findings.map((f) => f.location.file))], ['k8s/worker.yaml']);
  assert.equal(result.summary.objects, 1);

  const failing = await runCli(['scan', '.', '--exclude', 'deploy/**', '--format', 'json'], { cwd: SHOP });
  assert.equal(failing.code, 1, 'the privileged worker fails the default --fail-on high');
});

test('.gitignore and .kubehardenignore leave paths out; --no-gitignore brings the git-ignored ones back', async () => {
  const run = await runCli(['scan', '.', '--exclude', 'deploy/**', '--format', 'json', '--fail-on', 'none'], { cwd: SHOP });
  const result = json(run.stdout);
  const skipped = new Map((result.skipped ?? []).map((s) => [s.source, s.reason]));
  assert.equal(skipped.get('generated'), 'listed in .gitignore');
  assert.equal(skipped.get('legacy'), 'listed in .kubehardenignore');
  assert.equal(skipped.get('deploy'), '--exclude deploy/**');

  const all = json((await runCli(['scan', '.', '--exclude', 'deploy/**', '--no-gitignore', '--format', 'json', '--fail-on', 'none'], { cwd: SHOP })).stdout);
  const files = new Set(all.findings.map((f) => f.location.file));
  assert.ok(files.has('generated/rendered.yaml'), 'git-ignored manifests are scanned with --no-gitignore');
  assert.ok(!files.has('legacy/old-pod.yaml'), '.kubehardenignore still applies');
});

test('.kubehardenignore has gitignore semantics: negation, anchoring, folder patterns, nested files', async () => {
  const dir = tempRepo({
    '.kubehardenignore': 'old/*\n!old/keep.yaml\n/top.yaml\n',
    'old/drop.yaml': PRIVILEGED_POD,
    'old/keep.yaml': PRIVILEGED_POD,
    'top.yaml': PRIVILEGED_POD,
    'sub/top.yaml': PRIVILEGED_POD,
    'sub/.kubehardenignore': 'local-*.yaml\n',
    'sub/local-dev.yaml': PRIVILEGED_POD,
  });
  try {
    const result = json((await runCli(['scan', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir })).stdout);
    assert.deepEqual([...new Set(result.findings.map((f) => f.location.file))].sort(), ['old/keep.yaml', 'sub/top.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--exclude globs: ** across folders, a bare name pattern anywhere, the path as shown', async () => {
  const dir = tempRepo({ 'a/b/c/pod.yaml': PRIVILEGED_POD, 'a/x.generated.yaml': PRIVILEGED_POD, 'keep.yaml': PRIVILEGED_POD });
  try {
    const files = async (...args: string[]) =>
      [...new Set(json((await runCli(['scan', ...args, '--format', 'json', '--fail-on', 'none'], { cwd: dir })).stdout).findings.map((f) => f.location.file))].sort();
    assert.deepEqual(await files('.', '--exclude', 'a/**/c/**'), ['a/x.generated.yaml', 'keep.yaml']);
    assert.deepEqual(await files('.', '--exclude', '*.generated.yaml'), ['a/b/c/pod.yaml', 'keep.yaml']);
    assert.deepEqual(await files('a', '--exclude', 'a/b/**'), ['a/x.generated.yaml']);
    assert.deepEqual(await files('.', '--exclude', 'a', '--exclude', 'keep.yaml'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('what is meant as Kubernetes stays an error: a kind without apiVersion, broken YAML that says kind, a named file', async () => {
  const dir = tempRepo({
    'mixed.yaml': PRIVILEGED_POD + '---\nreplicas: 3\n',
    'no-api.yaml': 'kind: Deployment\nmetadata: {name: x}\n',
    'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n',
    'docs/notes.yaml': 'title: [unclosed\n',
    'package.json': '{"name": "x"}',
  });
  try {
    const run = await runCli(['scan', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir });
    assert.equal(run.code, 2);
    const result = json(run.stdout);
    const errored = new Set(result.errors.filter((e) => e.level === 'error').map((e) => e.source));
    assert.deepEqual([...errored].sort(), ['broken.yaml', 'mixed.yaml', 'no-api.yaml']);
    assert.deepEqual((result.skipped ?? []).map((s) => s.source).sort(), ['docs/notes.yaml', 'package.json']);
    assert.match(run.stderr, /^kubeharden: exit 2: 3 inputs could not be read: /m);

    // Broken YAML with no word of Kubernetes is still an error beside manifests in its folder.
    mkdirSync(path.join(dir, 'k8s'));
    writeFileSync(path.join(dir, 'k8s', 'pod.yaml'), PRIVILEGED_POD);
    writeFileSync(path.join(dir, 'k8s', 'half.yaml'), '  containers: [\n');
    const beside = json((await runCli(['scan', 'k8s', '--format', 'json', '--fail-on', 'none'], { cwd: dir })).stdout);
    assert.deepEqual(beside.errors.map((e) => e.source), ['k8s/half.yaml']);

    const named = await runCli(['scan', 'package.json', '--format', 'json'], { cwd: dir });
    assert.equal(named.code, 2, 'a file named on the command line must hold Kubernetes objects');
    assert.match(json(named.stdout).errors[0]!.message, /no `kind`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a chart or kustomization with its tool missing is an error that gives the command to pipe', async () => {
  // PATH holds only a folder with node, so neither helm, kustomize nor kubectl is found.
  const bin = mkdtempSync(path.join(os.tmpdir(), 'kubeharden-path-'));
  try {
    const env = { PATH: bin, KUBEHARDEN_HELM: '', KUBEHARDEN_KUSTOMIZE: '' };
    const run = await runCli(['scan', '.', '--format', 'json', '--fail-on', 'none'], { cwd: SHOP, env });
    assert.equal(run.code, 2);
    const errors = json(run.stdout).errors;
    const chart = errors.find((e) => e.source === 'deploy/chart/web');
    assert.match(chart?.message ?? '', /helm is not installed/);
    assert.ok(chart?.message.includes('helm template release-name deploy/chart/web | kubeharden scan -'), chart?.message);
    const overlay = errors.find((e) => e.source === 'deploy/kustomize/overlays/prod');
    assert.ok(overlay?.message.includes('kustomize build deploy/kustomize/overlays/prod | kubeharden scan -'), overlay?.message);
    // The base and the component are built through the overlay, never scanned on their own.
    assert.ok(!errors.some((e) => e.source.includes('base') || e.source.includes('components')));

    const flags = await runCli(['scan', 'deploy/chart/web', '--format', 'json', '--release-name', 'shop', '-n', 'prod', '--values', 'v.yaml', '--set', 'a=b c'], { cwd: SHOP, env });
    assert.ok(json(flags.stdout).errors[0]!.message.includes("helm template shop deploy/chart/web --namespace prod -f v.yaml --set 'a=b c' | kubeharden scan -"));
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test('--severity and --min-severity narrow the report, and --fail-on judges what is reported', async () => {
  const all = json((await runCli(['scan', 'k8s', '--format', 'json', '--fail-on', 'none'], { cwd: SHOP })).stdout);
  assert.ok(all.findings.some((f) => f.severity === 'critical') && all.findings.some((f) => f.severity === 'medium'));

  const high = await runCli(['scan', 'k8s', '--format', 'json', '--min-severity', 'high'], { cwd: SHOP });
  const highResult = json(high.stdout);
  assert.ok(highResult.findings.length > 0);
  assert.ok(highResult.findings.every((f) => f.severity === 'critical' || f.severity === 'high'));
  assert.equal(highResult.summary.notReported, all.findings.length - highResult.findings.length);
  assert.equal(high.code, 1);
  assert.match(high.stderr, /^kubeharden: exit 1: \d+ findings? at or above high \(--fail-on high\): 1 critical/m);

  // Reporting only medium findings with --fail-on high: nothing reported is at or above high.
  const medium = await runCli(['scan', 'k8s', '--format', 'sarif', '--severity', 'medium,low'], { cwd: SHOP });
  assert.equal(medium.code, 0);
  assert.equal(medium.stderr, '');

  const bad = await runCli(['scan', 'k8s', '--severity', 'urgent'], { cwd: SHOP });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /not: urgent/);
});

test('--summary prints one line per check; the table switches to it above --table-limit and says so', async () => {
  const summary = (await runCli(['scan', 'k8s', '--format', 'table', '--summary', '--fail-on', 'none'], { cwd: SHOP })).stdout;
  assert.match(summary, /^CRITICAL\s+1\s+container-not-privileged\s+pss:baseline\/privileged/m);
  assert.ok(!summary.includes('k8s/worker.yaml'), 'no per-finding lines');

  const auto = (await runCli(['scan', 'k8s', '--format', 'table', '--table-limit', '3', '--fail-on', 'none'], { cwd: SHOP })).stdout;
  assert.match(auto, /findings, more than --table-limit 3: one line per check instead/);
  const full = (await runCli(['scan', 'k8s', '--format', 'table', '--table-limit', '0', '--fail-on', 'none'], { cwd: SHOP })).stdout;
  assert.match(full, /^k8s\/worker\.yaml$/m);
});

test('progress stays off stderr when it is not a terminal', async () => {
  const run = await runCli(['scan', 'k8s', '--format', 'json', '--fail-on', 'none'], { cwd: SHOP });
  assert.equal(run.stderr, '');
});

test('`helm template … | kubeharden scan -`: findings point at the template named by # Source:', async () => {
  // The shape of `helm template` output (documents headed by `# Source:` comments). The real
  // helm's own output goes through the same path in render-tools.test.ts.
  const stream = [
    '---',
    '# Source: web/templates/service.yaml',
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}',
    '---',
    '# Source: web/charts/db/templates/pod.yaml',
    PRIVILEGED_POD,
  ].join('\n');
  const result = json((await runCli(['scan', '-', '--format', 'json', '--fail-on', 'none'], { input: stream })).stdout);
  const privileged = result.findings.find((f) => f.check === 'container-not-privileged');
  assert.equal(privileged?.location.file, 'web/charts/db/templates/pod.yaml');
  assert.equal(privileged?.location.rendered?.source, '<stdin>');
  assert.equal(privileged?.location.rendered?.line, 13, 'the line of containers[0].securityContext.privileged in the stream');
  assert.equal(privileged?.location.line, undefined, 'a template line is not the rendered line');
});

test('namespace-less manifests: findings say "the namespace the objects will be installed into", --namespace names it', async () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: c, image: "x:1"}]\n';
  const unset = json((await runCli(['scan', '-', '--format', 'json', '--fail-on', 'none'], { input: pod })).stdout);
  const denyMessage = unset.findings.find((f) => f.check === 'namespace-has-default-deny-ingress')?.message ?? '';
  assert.match(denyMessage, /^the namespace the objects will be installed into has no default-deny ingress/);
  assert.ok(unset.findings.every((f) => !/namespace default\b|default\/web/.test(f.message)), 'never "default"');

  const set = json((await runCli(['scan', '-', '-n', 'shop', '--format', 'json', '--fail-on', 'none'], { input: pod })).stdout);
  assert.match(set.findings.find((f) => f.check === 'namespace-has-default-deny-ingress')?.message ?? '', /^namespace shop has no default-deny ingress/);
  assert.ok(set.findings.every((f) => f.resource.kind !== 'Pod' || f.resource.namespace === 'shop'));

  // An input that puts objects in `default` itself keeps the word: it is a real namespace there.
  const explicit = json((await runCli(['scan', '-', '--format', 'json', '--fail-on', 'none'], { input: pod.replace('{name: web}', '{name: web, namespace: default}') })).stdout);
  assert.match(explicit.findings.find((f) => f.check === 'namespace-has-default-deny-ingress')?.message ?? '', /^namespace default has no/);
});
