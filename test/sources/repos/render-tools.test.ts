// Charts and overlays rendered by the real helm and kustomize (built from their Go modules by
// scripts/build-tools.mjs). Real public inputs: Helm's own test charts and kustomize's own
// krusty testdata, read from the Go module cache the tools were built from (Apache-2.0, not
// copied into this repository). Project-authored: test/fixtures/repos/shop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../../cli/run-cli.js';
import { REPO_ROOT } from '../../helpers.js';
import type { Result } from '../../../src/result/result.js';
import { findTool, helmModuleDir, kustomizeApiModuleDir } from './tools.js';

const SHOP = path.join(REPO_ROOT, 'test/fixtures/repos/shop');
const helm = findTool('helm');
const kustomize = findTool('kustomize');
const env = { KUBEHARDEN_HELM: helm ?? '', KUBEHARDEN_KUSTOMIZE: kustomize ?? '' };
const noHelm = helm ? false : 'helm not built (node scripts/build-tools.mjs helm)';
const noTools = helm && kustomize ? false : 'helm and kustomize not built (node scripts/build-tools.mjs helm kustomize)';

function json(stdout: string): Result {
  return JSON.parse(stdout) as Result;
}

function filesWith(result: Result, check?: string): string[] {
  return [...new Set(result.findings.filter((f) => !check || f.check === check).map((f) => f.location.file))].sort();
}

test('scan . of the shop repository: chart by template path, overlay by origin file, nothing else an error', { skip: noTools }, async () => {
  const run = await runCli(['scan', '.', '--format', 'json'], { cwd: SHOP, env });
  assert.equal(run.code, 1, run.stderr);
  const result = json(run.stdout);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(filesWith(result), [
    'deploy/chart/web/charts/cache/templates/statefulset.yaml',
    'deploy/chart/web/templates/deployment.yaml',
    'deploy/kustomize/base/deployment.yaml',
    'deploy/kustomize/overlays/prod/debug-pod.yaml',
    'k8s/worker.yaml',
  ]);
  // The overlay's patch made the api container privileged; the finding names the file the
  // Deployment came from, as kustomize's origin annotation says.
  const privileged = result.findings.filter((f) => f.check === 'container-not-privileged').map((f) => `${f.location.file} ${f.resource.namespace}/${f.resource.name}`);
  assert.deepEqual(privileged.sort(), ['deploy/kustomize/base/deployment.yaml shop-prod/api', 'k8s/worker.yaml shop/worker']);
  // The component's patch (runAsNonRoot, seccomp) was applied: no such finding on the api.
  assert.ok(!result.findings.some((f) => f.resource.name === 'api' && f.check === 'pod-seccomp-profile-set'));
  // Each object once, as it will be applied: the chart's 3 objects, the overlay's 3, the worker.
  assert.equal(result.summary.objects, 7);
  // The rendered line is kept as context.
  const chartFinding = result.findings.find((f) => f.location.file === 'deploy/chart/web/templates/deployment.yaml');
  assert.match(chartFinding?.location.rendered?.source ?? '', /^<helm template release-name deploy\/chart\/web>$/);
  assert.ok((chartFinding?.location.rendered?.line ?? 0) > 0);
});

test('helm values, --set and --namespace are passed through', { skip: noHelm }, async () => {
  const base = json((await runCli(['scan', 'deploy/chart/web', '--format', 'json', '--fail-on', 'none'], { cwd: SHOP, env })).stdout);
  assert.ok(!base.findings.some((f) => f.check === 'pod-no-host-namespaces'));
  const run = await runCli(['scan', 'deploy/chart/web', '--values', 'deploy/chart/web/values-hostnet.yaml', '--set', 'runAsNonRoot=false', '-n', 'shop', '--release-name', 'prod', '--format', 'json', '--fail-on', 'none'], { cwd: SHOP, env });
  const result = json(run.stdout);
  const hostNet = result.findings.find((f) => f.check === 'pod-no-host-namespaces');
  assert.equal(hostNet?.location.file, 'deploy/chart/web/templates/deployment.yaml');
  assert.deepEqual({ ns: hostNet?.resource.namespace, name: hostNet?.resource.name }, { ns: 'shop', name: 'prod-web' });
  assert.ok(result.findings.some((f) => f.check === 'container-runs-as-non-root' && f.resource.name === 'prod-web'));
});

test('a chart that does not render is an input error quoting helm', { skip: noHelm }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeharden-chart-'));
  try {
    cpSync(path.join(SHOP, 'deploy/chart/web'), path.join(dir, 'web'), { recursive: true });
    rmSync(path.join(dir, 'web/charts/cache'), { recursive: true });
    const run = await runCli(['scan', 'web', '--format', 'json'], { cwd: dir, env });
    assert.equal(run.code, 2);
    const error = json(run.stdout).errors[0];
    assert.equal(error?.source, 'web');
    assert.match(error?.message ?? '', /^helm could not render this chart: .*found in Chart\.yaml, but missing in charts\/ directory: cache/s);
    assert.match(run.stderr, /exit 2: 1 input could not be read: web/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a kustomization that does not build is an input error quoting kustomize', { skip: kustomize ? false : 'kustomize not built' }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeharden-kust-'));
  try {
    writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - missing.yaml\n');
    const run = await runCli(['scan', '.', '--format', 'json'], { cwd: dir, env });
    assert.equal(run.code, 2);
    assert.match(json(run.stdout).errors[0]?.message ?? '', /^kustomize build could not build this kustomization: .*missing\.yaml/s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`helm template … | kubeharden scan -` with the real helm maps findings to templates', { skip: noHelm }, async () => {
  const rendered = execFileSync(helm as string, ['template', 'r', path.join(SHOP, 'deploy/chart/web'), '--set', 'hostNetwork=true'], { encoding: 'utf8' });
  const result = json((await runCli(['scan', '-', '--format', 'json', '--fail-on', 'none'], { input: rendered })).stdout);
  assert.equal(result.findings.find((f) => f.check === 'pod-no-host-namespaces')?.location.file, 'web/templates/deployment.yaml');
  assert.ok(filesWith(result).includes('web/charts/cache/templates/statefulset.yaml'));
});

// Helm's own test charts, from the helm module in the Go module cache.
const helmModule = helm ? helmModuleDir() : undefined;
const noHelmCharts = helmModule ? false : 'helm\'s module (its test charts) is not in the Go module cache';

test('Helm\'s test chart with subcharts (testcharts/subchart): findings on the subchart folders by their chart names', { skip: noHelm || noHelmCharts }, async () => {
  const chart = path.join(helmModule as string, 'pkg/cmd/testdata/testcharts/subchart');
  const run = await runCli(['scan', chart, '--format', 'json', '--fail-on', 'none'], { env });
  const result = json(run.stdout);
  assert.deepEqual(result.errors.filter((e) => e.level === 'error'), []);
  const files = filesWith(result).map((f) => path.relative(chart, f));
  // The Pod of templates/tests has findings; subchartA is a chart named "subcharta".
  assert.ok(files.includes('templates/tests/test-nothing.yaml'), files.join(', '));
  const sources = result.findings.map((f) => f.location.file);
  assert.ok(sources.every((f) => !f.includes('/charts/subcharta/')), 'subchart paths are folders, not chart names');
  assert.ok(result.summary.objects >= 8, `objects: ${result.summary.objects}`);
});

test('Helm\'s test chart with a library chart dependency (chart-with-template-lib-dep)', { skip: noHelm || noHelmCharts }, async () => {
  const chart = path.join(helmModule as string, 'pkg/cmd/testdata/testcharts/chart-with-template-lib-dep');
  const result = json((await runCli(['scan', chart, '--format', 'json', '--fail-on', 'none'], { env })).stdout);
  assert.deepEqual(result.errors.filter((e) => e.level === 'error'), []);
  assert.deepEqual(filesWith(result, 'container-runs-as-non-root').map((f) => path.relative(chart, f)), ['templates/deployment.yaml']);
  // Its library chart, scanned on its own, renders nothing and is said to be skipped.
  const lib = json((await runCli(['scan', path.join(chart, 'charts/common'), '--format', 'json', '--fail-on', 'none'], { env })).stdout);
  assert.match(lib.skipped?.[0]?.reason ?? '', /^library chart/);
});

test('Helm\'s test chart with missing dependencies is an error quoting helm', { skip: noHelm || noHelmCharts }, async () => {
  const chart = path.join(helmModule as string, 'pkg/cmd/testdata/testcharts/chart-missing-deps');
  const run = await runCli(['scan', chart, '--format', 'json'], { env });
  assert.equal(run.code, 2);
  assert.match(json(run.stdout).errors[0]?.message ?? '', /^helm could not render this chart: .*missing in charts\/ directory/s);
});

const kustomizeApi = kustomize ? kustomizeApiModuleDir(kustomize) : undefined;

test('kustomize\'s own overlay testdata (krusty remoteload/multibase): the overlay is built once, findings on the base file', { skip: kustomizeApi ? false : 'kustomize (and its api module in the Go module cache) not available' }, async () => {
  const root = path.join(kustomizeApi as string, 'krusty/testdata/remoteload/multibase');
  const result = json((await runCli(['scan', root, '--format', 'json', '--fail-on', 'none'], { env })).stdout);
  assert.deepEqual(result.errors, []);
  assert.equal(result.summary.objects, 1, 'the base is built through the dev overlay only');
  assert.deepEqual(filesWith(result).map((f) => path.relative(root, f)), ['base/pod.yaml']);
  assert.ok(result.findings.every((f) => f.resource.name === 'dev-myapp-pod'), 'the overlay\'s namePrefix applied');
});
