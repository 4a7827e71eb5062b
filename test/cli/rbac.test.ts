// The `kubeharden rbac` commands end to end: documented JSON shapes and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';

const BIN = path.join(REPO_ROOT, 'bin', 'kubeharden.js');
const SCENARIO = path.join(REPO_ROOT, 'test', 'fixtures', 'rbac', 'scenario');
const CLUSTER = path.join(SCENARIO, 'cluster.yaml');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'rbac', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('who-can --format json has the documented shape', () => {
  const r = run('who-can', 'create', 'deployments.apps', '-n', 'ci', CLUSTER, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const answer = JSON.parse(r.out);
  assert.deepEqual(answer.request, { type: 'resource', verb: 'create', apiGroup: 'apps', resource: 'deployments', subresource: '', namespace: 'ci', name: '' });
  const deployer = answer.subjects.find((s: { name: string }) => s.name === 'deployer');
  assert.deepEqual({ kind: deployer.kind, namespace: deployer.namespace }, { kind: 'ServiceAccount', namespace: 'ci' });
  // rules[7] of system:aggregate-to-edit in upstream order (editRules of policy.go): the apps rule after the events rule.
  assert.equal(deployer.via[0].description, 'RoleBinding ci/deployer → ClusterRole edit (aggregated from ClusterRole system:aggregate-to-edit) rules[7]');
  assert.deepEqual(deployer.via[0].binding, { kind: 'RoleBinding', namespace: 'ci', name: 'deployer' });
});

test('can lists effective permissions with their scope', () => {
  const r = run('can', 'user:alice', '--group', 'auditors', CLUSTER, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const answer = JSON.parse(r.out);
  assert.deepEqual(answer.identity, { user: 'alice', groups: ['system:authenticated', 'auditors'] });
  assert.ok(answer.rules.some((x: { scope: string; resources: string[]; via: { description: string } }) => x.scope === '' && x.resources.includes('pods') && /ClusterRoleBinding auditors → ClusterRole view/.test(x.via.description)));
});

test('paths --format json has the documented shape', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-rbac-'));
  const file = path.join(dir, 'admin.yaml');
  writeFileSync(file, 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ops}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: Group, name: ops}]\n');
  const r = run('paths', '--to', 'cluster-admin', file, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const answer = JSON.parse(r.out);
  assert.deepEqual(answer.paths, [
    {
      subject: { kind: 'Group', name: 'ops' },
      builtIn: false,
      steps: [{ vector: 'E25', action: 'holds * on * in every API group, cluster-wide', grants: 'cluster-admin', via: 'ClusterRoleBinding ops → ClusterRole cluster-admin rules[0]' }],
    },
  ]);
  assert.deepEqual(answer.workloads, []);
});

test('rbac test: the documented example passes with exit 0; a false assertion fails with exit 1 and a reason', () => {
  assert.equal(run('test', path.join(SCENARIO, 'assertions.yaml'), CLUSTER).code, 0);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-rbac-'));
  const file = path.join(dir, 'a.yaml');
  writeFileSync(file, 'assertions:\n- {subject: "sa:ci/deployer", cannot: get secrets, namespace: ci}\n- {subject: "user:bob", can: list pods, namespace: ci}\n');
  const r = run('test', file, CLUSTER, '--format', 'json');
  assert.equal(r.code, 1);
  const answer = JSON.parse(r.out);
  assert.equal(answer.failed, 2);
  assert.match(answer.assertions[0].reason, /allowed by RoleBinding ci\/deployer → ClusterRole edit/);
  assert.equal(answer.assertions[1].reason, 'no binding grants it');
});

test('usage errors exit 2 with a message: bad assertions file, bad subject, URL with a namespace', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-rbac-'));
  const file = path.join(dir, 'bad.yaml');
  writeFileSync(file, 'assertions:\n- {subject: "user:x", can: "fly"}\n');
  const bad = run('test', file, CLUSTER);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /assertions\[0\]: "fly" must be "VERB RESOURCE"/);
  assert.equal(run('can', 'sa:nonamespace', CLUSTER).code, 2);
  assert.match(run('who-can', 'get', '/metrics', '-n', 'x', CLUSTER).err, /non-resource URL takes no --namespace/);
});

test('an unreadable input exits 2 but still answers for the rest', () => {
  const r = run('who-can', 'get', 'pods', '-n', 'ci', CLUSTER, '/no/such/file.yaml', '--format', 'json');
  assert.equal(r.code, 2);
  assert.ok(JSON.parse(r.out).subjects.length > 0);
  assert.match(r.err, /no such file or folder/);
});

test('who-can -A also lists subjects allowed in only some namespace, with the scope', () => {
  const clusterOnly = JSON.parse(run('who-can', 'create', 'deployments.apps', CLUSTER, '--format', 'json').out);
  assert.ok(!clusterOnly.subjects.some((s: { name: string }) => s.name === 'deployer'));
  const anywhere = JSON.parse(run('who-can', 'create', 'deployments.apps', '-A', CLUSTER, '--format', 'json').out);
  const deployer = anywhere.subjects.find((s: { name: string }) => s.name === 'deployer');
  assert.equal(deployer.via[0].scope, 'ci');
  assert.equal(run('who-can', 'create', 'pods', '-A', '-n', 'ci', CLUSTER).code, 2);
});

test('rbac test resolves resource names as kubectl does (secret, Secrets, Secret, deploy), and an unknown resource is an error', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-rbac-'));
  const file = path.join(dir, 'names.yaml');
  // sa:ci/deployer holds edit in ci, which can get secrets and create deployments: every
  // spelling of those must be judged the same, so "cannot" is false for each.
  writeFileSync(file, [
    'assertions:',
    '- {subject: "sa:ci/deployer", cannot: get secret, namespace: ci}',
    '- {subject: "sa:ci/deployer", cannot: get Secrets, namespace: ci}',
    '- {subject: "sa:ci/deployer", cannot: get Secret, namespace: ci}',
    '- {subject: "sa:ci/deployer", cannot: create deploy, namespace: ci}',
    '- {subject: "sa:ci/deployer", cannot: create Deployment.apps, namespace: ci}',
    '',
  ].join('\n'));
  const r = run('test', file, CLUSTER, '--format', 'json');
  assert.equal(r.code, 1, r.err);
  const answer = JSON.parse(r.out);
  assert.equal(answer.failed, 5, JSON.stringify(answer.assertions.map((a: { assertion: string }) => a.assertion)));
  assert.match(answer.assertions[3].assertion, /create deployments\.apps/);

  writeFileSync(file, 'assertions:\n- {subject: "sa:ci/deployer", cannot: get secretz, namespace: ci}\n');
  const unknown = run('test', file, CLUSTER);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown resource "secretz": not a built-in resource .*did you mean secrets/);
  // A custom resource written as PLURAL.GROUP is taken as written.
  assert.equal(run('who-can', 'get', 'widgets.example.com', '-n', 'ci', CLUSTER).code, 0);
});
