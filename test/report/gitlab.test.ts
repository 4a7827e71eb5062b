// GitLab Code Quality output against the format GitLab documents
// (docs.gitlab.com/ci/testing/code_quality/, "Code Quality report format"): a JSON array of
// issues with description, check_name, fingerprint, severity (info, minor, major, critical,
// blocker), location.path relative to the repository, location.lines.begin. Checked with a
// strict zod mirror of those fields on the real corpus and through the CLI.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { scanManifests } from '../../src/engine/scan.js';
import { buildCodeQuality } from '../../src/report/gitlab.js';
import { REPO_ROOT } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';

const issue = z
  .object({
    description: z.string().min(1),
    check_name: z.string().min(1),
    fingerprint: z.string().min(1),
    severity: z.enum(['info', 'minor', 'major', 'critical', 'blocker']),
    location: z.object({ path: z.string().min(1), lines: z.object({ begin: z.number().int().min(1) }).strict() }).strict(),
  })
  .strict();
const report = z.array(issue);

test('corpus: every counted finding is one issue, fingerprints unique, paths relative to the repository', async () => {
  const corpus = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real');
  const result = await scanManifests([corpus]);
  const issues = buildCodeQuality(result, { root: REPO_ROOT, cwd: tmpdir() });
  report.parse(issues);
  assert.equal(issues.length, result.findings.filter((f) => !f.exception).length);
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'GitLab shows one issue per fingerprint');
  for (const i of issues) {
    assert.match(i.location.path, /^test\/fixtures\/corpus\/real\/[^/]+\.yaml$/);
    assert.ok(existsSync(path.join(REPO_ROOT, i.location.path)));
  }
  const critical = result.findings.find((f) => f.severity === 'critical')!;
  const mapped = issues.find((i) => i.check_name === critical.check && i.location.lines.begin === critical.location.line)!;
  assert.equal(mapped.severity, 'blocker');
  // Stable across runs: the same scan gives the same fingerprints.
  assert.deepEqual(buildCodeQuality(result, { root: REPO_ROOT, cwd: tmpdir() }).map((i) => i.fingerprint), issues.map((i) => i.fingerprint));
});

test('CLI: --format gitlab, paths relative to $CI_PROJECT_DIR, excepted findings left out', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-gitlab-'));
  try {
    mkdirSync(path.join(dir, 'k8s'));
    const pod = (name: string, ignore: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: a\n${ignore}spec:\n  containers:\n  - {name: c, image: nginx:1.27, securityContext: {privileged: true}}\n`;
    writeFileSync(path.join(dir, 'k8s', 'pods.yaml'), pod('p', '  annotations: {kubeharden.io/ignore: "container-not-privileged: a test"}\n') + '---\n' + pod('q', ''));
    const run = await runCli(['scan', path.join(dir, 'k8s'), '--format', 'gitlab', '--fail-on', 'none'], { cwd: tmpdir(), env: { CI_PROJECT_DIR: dir } });
    assert.equal(run.code, 0, run.stderr);
    const issues = report.parse(JSON.parse(run.stdout));
    const privileged = issues.filter((i) => i.check_name === 'container-not-privileged');
    assert.deepEqual(privileged.map((i) => [i.location.path, i.location.lines.begin, i.severity]), [['k8s/pods.yaml', 18, 'blocker']]);
    assert.match(privileged[0]!.description, /^Pod a\/q: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
