// The audit-policy commands end to end, through the real CLI binary (explain) or a commander
// group (generate, whose `generate` parent lives in another file of the CLI).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerGenerateAuditPolicy } from '../../src/cli/commands/generate-audit-policy.js';
import { GENERATED_AUDIT_POLICY } from '../../src/fix/audit-policy.js';
import { REPO_ROOT } from '../helpers.js';

const DOCS_POLICY = path.join(REPO_ROOT, 'test/fixtures/audit/k8s-docs-audit-policy.yaml');

function kubeharden(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/kubeharden.js'), ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('audit-policy explain names the matching rule, its line and the level', () => {
  const r = kubeharden('audit-policy', 'explain', DOCS_POLICY, '--verb', 'update', '--resource', 'configmaps', '-n', 'kube-system', '--name', 'cfg', '--format', 'table');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^request: update configmaps \(core group\) named cfg in namespace kube-system, no user given$/m);
  assert.match(r.stdout, /^matches: rules\[5\] \(Request: namespaces kube-system; resources core:configmaps\) at .*k8s-docs-audit-policy\.yaml:43$/m);
  assert.match(r.stdout, /^level: {3}Request — metadata and the request body/m);
  assert.match(r.stdout, /^omitted stages: RequestReceived$/m);
});

test('audit-policy explain --format json: resource.group/subresource, users and groups', () => {
  const r = kubeharden('audit-policy', 'explain', DOCS_POLICY, '--verb', 'watch', '--resource', 'endpoints', '--user', 'system:kube-proxy', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const answer = JSON.parse(r.stdout);
  assert.equal(answer.rule.index, 3);
  assert.equal(answer.level, 'None');
  const scale = JSON.parse(kubeharden('audit-policy', 'explain', DOCS_POLICY, '--verb', 'patch', '--resource', 'deployments.apps/scale', '--format', 'json').stdout);
  assert.deepEqual([scale.request.apiGroup, scale.request.resource, scale.request.subresource, scale.rule.index], ['apps', 'deployments', 'scale', 8]);
  const url = JSON.parse(kubeharden('audit-policy', 'explain', DOCS_POLICY, '--verb', 'get', '--path', '/version', '--group', 'system:authenticated', '--format', 'json').stdout);
  assert.equal(url.rule.index, 4);
});

test('audit-policy explain: an invalid policy, a missing file and a missing --resource are usage errors (exit 2)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-audit-'));
  const bad = path.join(dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n- level: None\n  resources: [{group: ""}]\n  nonResourceURLs: [/x]\n');
  const r = kubeharden('audit-policy', 'explain', bad, '--verb', 'get', '--resource', 'pods');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is not a valid audit Policy \(the API server would refuse to start\)\n {2}rules\[0\]\.level: .*"Loud" is not a level/);
  assert.match(r.stderr, /rules\[1\]\.nonResourceURLs: rules\[1\] sets nonResourceURLs together with resources/);
  assert.equal(r.stdout, '');
  assert.match(kubeharden('audit-policy', 'explain', path.join(dir, 'nope.yaml'), '--verb', 'get', '--resource', 'pods').stderr, /nope\.yaml: no such file/);
  const noResource = kubeharden('audit-policy', 'explain', DOCS_POLICY, '--verb', 'get');
  assert.equal(noResource.code, 2);
  assert.match(noResource.stderr, /give --resource/);
  const notPolicy = path.join(dir, 'pod.yaml');
  writeFileSync(notPolicy, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n');
  assert.match(kubeharden('audit-policy', 'explain', notPolicy, '--verb', 'get', '--resource', 'pods').stderr, /holds no audit Policy .*; it holds v1 Pod/);
});

test('generate audit-policy writes the policy to --output', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-gen-'));
  const generate = new Command('generate').exitOverride();
  registerGenerateAuditPolicy(generate);
  await generate.parseAsync(['audit-policy', '-o', path.join(dir, 'policy.yaml')], { from: 'user' });
  assert.equal(readFileSync(path.join(dir, 'policy.yaml'), 'utf8'), GENERATED_AUDIT_POLICY);
});
