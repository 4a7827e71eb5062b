// Fixes land in the template whose finding they fix, in objects with several pod templates.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { REPO_ROOT } from '../helpers.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { runChecks } from '../../src/engine/run.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { locateFindings } from '../../src/engine/locate.js';
import { computeFixes } from '../../src/fix/apply-fixes.js';
import type { Result } from '../../src/result/result.js';

const RAY_CLUSTER = `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: etl}
spec:
  headGroupSpec:
    template:
      spec:
        containers:
        - name: ray-head
          image: rayproject/ray:2.41.0
          securityContext:
            readOnlyRootFilesystem: true
  workerGroupSpecs:
  - groupName: small
    template:
      spec:
        containers:
        - name: ray-worker
          image: rayproject/ray:2.41.0
          securityContext:
            readOnlyRootFilesystem: true
  - groupName: large
    template:
      spec:
        containers:
        - name: ray-worker
          image: rayproject/ray:2.41.0
`;

test('fix - patches only the worker group that lacks the setting', async () => {
  const run = await runCli(['fix', '-', '--check', 'container-read-only-root-filesystem'], { input: RAY_CLUSTER });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, RAY_CLUSTER + '          securityContext:\n            readOnlyRootFilesystem: true\n');
});

test('every fix for a multi-template object applies to its own template, and a new scan no longer finds them', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-crd-fix-'));
  for (const name of ['ray.yaml', 'jobset.yaml', 'kubeflow.yaml']) cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'custom-resources', name), path.join(dir, name));
  const { inventory, texts } = await loadManifests([dir]);
  const { located } = runChecks(inventory, ALL_CHECKS, { type: 'manifests', inputs: [dir], files: 3 });
  await locateFindings(located, texts);
  const fixable = located.filter((l) => l.finding.fix?.length);
  // Several templates of one object carry fixes (the v1 MPIJob's launcher and worker, the RayCluster's gpu group…).
  assert.ok(fixable.some((l) => l.finding.location.path.startsWith('spec.mpiReplicaSpecs.Launcher.')));
  assert.ok(fixable.some((l) => l.finding.location.path.startsWith('spec.mpiReplicaSpecs.Worker.')));
  const fixes = await computeFixes(located, texts);
  assert.deepEqual(fixes.flatMap((f) => f.failed), []);
  assert.equal(fixes.reduce((n, f) => n + f.fixed, 0), fixable.length);

  const run = await runCli(['fix', dir, '--write']);
  assert.equal(run.code, 0, run.stderr);
  const after = JSON.parse((await runCli(['scan', dir, '--format', 'json', '--fail-on', 'none'])).stdout) as Result;
  assert.deepEqual(after.errors, []);
  const fixed = new Set(fixable.map((l) => l.finding.fingerprint));
  assert.deepEqual(after.findings.filter((f) => fixed.has(f.fingerprint)).map((f) => `${f.check} ${f.location.path}`), []);
  // The privileged gpu group got its own settings, next to its container and its pod spec.
  const ray = readFileSync(path.join(dir, 'ray.yaml'), 'utf8');
  const gpuGroup = ray.slice(ray.indexOf('- groupName: gpu'), ray.indexOf('---'));
  assert.match(gpuGroup, /image: rayproject\/ray:2\.41\.0-gpu\n {10}securityContext:\n {12}privileged: false\n {12}allowPrivilegeEscalation: false\n/);
  assert.match(gpuGroup, /\n {8}securityContext:\n {10}runAsNonRoot: true\n/);
});
