// `generate rbac --from-audit-log` and `rbac unused` end to end on the real audit log fixture:
// output, the stderr summary (window, malformed lines with file:line), JSON shapes, exit codes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers.js';
import { runCli } from './run-cli.js';

const LOG = path.join(REPO_ROOT, 'test/fixtures/audit-logs/sa-team-app.log');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'kh-rbac-audit-cli-'));

const BROAD = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: broad, namespace: team}
rules:
- apiGroups: ["", apps]
  resources: [configmaps, secrets, deployments, deployments/status, pods]
  verbs: [get, list, watch, create, update, patch, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: broad, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: broad}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: never-seen, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: carol}]
`;

test('generate rbac: commented YAML on stdout, the window and what was read on stderr, exit 0', async () => {
  const r = await runCli(['generate', 'rbac', '--from-audit-log', LOG]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# Written by kubeharden generate rbac from \d+ requests in 1 audit log file\(s\), 2026-/);
  assert.match(r.stdout, /# ServiceAccount team\/app: 13 requests allowed between /);
  assert.match(r.stdout, /# 1 request \(get\)\n\s+- apiGroups: \[""\]\n\s+resources: \[secrets\]\n\s+resourceNames: \[s1\]/);
  assert.match(r.stderr, /read 1 audit log file\(s\), 36 lines: 36 events, 19 requests \(17 other stages/);
  assert.match(r.stderr, /time window: 2026-12-06T02:25:10.384381Z to /);
  assert.match(r.stderr, /skipped system:apiserver \(\d+ requests\): member of system:masters/);
  // What it prints is what kubectl would apply: four objects.
  assert.deepEqual(parseAllDocuments(r.stdout).map((d) => (d.toJS() as { kind: string }).kind), ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
});

test('generate rbac: gzip on stdin, --subject and --namespace, JSON with the dry run', async () => {
  const gz = gzipSync(readFileSync(LOG));
  const dir = tmp();
  writeFileSync(path.join(dir, 'in.gz'), gz);
  const r = await runCli(['generate', 'rbac', '--from-audit-log', path.join(dir, 'in.gz'), '--subject', 'sa:team/app', '--namespace', 'team', '-f', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { window: { from: string }; policies: { subject: unknown; outsideNamespace: number; dryRun: { ok: boolean; requests: number }; objects: { kind: string }[] }[] };
  assert.deepEqual(json.policies.map((p) => p.subject), [{ kind: 'ServiceAccount', namespace: 'team', name: 'app' }]);
  assert.equal(json.policies[0]!.outsideNamespace, 2, '/metrics and the namespaces list are cluster-wide');
  assert.deepEqual(json.policies[0]!.objects.map((o) => o.kind), ['Role', 'RoleBinding']);
  assert.equal(json.policies[0]!.dryRun.ok, true);
  assert.ok(json.window.from);
  const piped = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/kubeharden.js'), 'generate', 'rbac', '--from-audit-log', '-', '--subject', 'system:serviceaccount:team:app'], { input: gz, encoding: 'utf8' });
  assert.equal(piped.status, 0, piped.stderr);
  assert.match(piped.stdout, /kind: Role\n/);
});

test('generate rbac: malformed lines are named by file:line and counted; an unreadable file exits 2 after the rest is used', async () => {
  const dir = tmp();
  const damaged = path.join(dir, 'damaged.log');
  const lines = readFileSync(LOG, 'utf8').split('\n');
  lines.splice(3, 0, '{"kind":"Event"', 'garbage');
  writeFileSync(damaged, lines.join('\n'));
  const r = await runCli(['generate', 'rbac', '--from-audit-log', damaged, path.join(dir, 'missing.log')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /warning: 2 malformed line\(s\) skipped; first:\n.*damaged\.log:4: not JSON/);
  assert.match(r.stderr, /damaged\.log:5: not JSON/);
  assert.match(r.stderr, /error: .*missing\.log: no such file or folder/);
  assert.match(r.stdout, /kind: Role\n/, 'the readable log is still used');
  const none = await runCli(['generate', 'rbac', '--from-audit-log', path.join(dir, 'missing.log')]);
  assert.equal(none.code, 2);
  assert.equal(none.stdout, '');
});

test('generate rbac: usage errors exit 2 with a message', async () => {
  const noLog = await runCli(['generate', 'rbac']);
  assert.equal(noLog.code, 2);
  assert.match(noLog.stderr, /--from-audit-log/);
  const badSubject = await runCli(['generate', 'rbac', '--from-audit-log', LOG, '--subject', 'sa:nonamespace']);
  assert.equal(badSubject.code, 2);
  assert.match(badSubject.stderr, /must be written sa:NAMESPACE\/NAME/);
  const help = await runCli(['generate', 'rbac', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Examples:\n\s+\$ kubeharden generate rbac --from-audit-log/);
});

test('rbac unused: rule by rule, the proposed Role as a diff; a subject never seen has every grant unused', async () => {
  const dir = tmp();
  const manifests = path.join(dir, 'rbac.yaml');
  writeFileSync(manifests, BROAD);
  const r = await runCli(['rbac', 'unused', manifests, '--audit-log', LOG, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  type Grant = { status: string; requests: number; used: { request: string; count: number }[]; unused: string[] };
  const answer = JSON.parse(r.stdout) as { window: { from: string }; subjects: { subject: { kind: string; name: string }; grants: Grant[]; dryRun: { ok: boolean }; diff: string; proposed: string }[] };
  assert.ok(answer.window.from);
  const app = answer.subjects.find((s) => s.subject.name === 'app')!;
  const grant = app.grants[0]!;
  assert.equal(grant.status, 'partly used');
  assert.ok(grant.used.some((u) => u.request === 'get secrets named s1 in namespace team' && u.count === 1), JSON.stringify(grant.used));
  for (const never of ['delete secrets in namespace team', 'get pods in namespace team', 'delete deployments.apps/status in namespace team']) {
    assert.ok(grant.unused.includes(never), `${never} in ${JSON.stringify(grant.unused)}`);
  }
  assert.equal(app.dryRun.ok, true);
  // The cluster-wide requests (/metrics, list namespaces) are not allowed by these manifests: not proposed.
  assert.doesNotMatch(app.proposed, /ClusterRole/);
  assert.match(app.diff, /^-\s+verbs: \[get, list, watch, create, update, patch, delete\]$/m);
  assert.match(app.diff, /^\+\s+resourceNames: \[s1\]$/m);
  const carol = answer.subjects.find((s) => s.subject.name === 'carol')!;
  assert.ok(carol.grants.length > 0 && carol.grants.every((g) => g.status === 'unused' && g.requests === 0));
  const text = await runCli(['rbac', 'unused', manifests, '--audit-log', LOG, '--format', 'table']);
  assert.match(text.stdout, /PARTLY USED RoleBinding team\/broad → Role team\/broad rules\[0\]/);
  assert.match(text.stdout, /never used: list, watch, create, update, patch, delete secrets in namespace team\n/);
});
