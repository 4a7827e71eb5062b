// File integrity monitoring: a baseline of a control-plane node's critical files, then
// drift after real changes (content, mode, owner, added and removed files).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { driftResult } from '../../../src/engine/node-drift.js';
import { collectNodeFacts } from '../../../src/sources/node/collect.js';
import { asBaseline, recordBaseline } from '../../../src/sources/node/integrity.js';
import { REPO_ROOT } from '../../helpers.js';
import { ALICE, buildRoot } from './roots.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = buildRoot('control-plane', 'hardened');
  dirs.push(d);
  return d;
};

test('a baseline records manifests, kubeconfigs, PKI, kubelet files and the etcd data directory', () => {
  const baseline = recordBaseline(collectNodeFacts({ root: fresh() }), new Date('2026-01-01T00:00:00Z'));
  const byPath = new Map(baseline.files.map((f) => [f.path, f]));
  assert.equal(byPath.get('/etc/kubernetes/manifests/kube-apiserver.yaml')?.mode, '600');
  assert.match(byPath.get('/etc/kubernetes/admin.conf')?.sha256 ?? '', /^[0-9a-f]{64}$/);
  assert.equal(byPath.get('/etc/kubernetes/pki/ca.key')?.owner, 'root:root');
  assert.equal(byPath.get('/var/lib/etcd')?.owner, 'etcd:etcd');
  assert.equal(byPath.get('/var/lib/etcd')?.sha256, undefined);
  assert.ok(!byPath.has('/var/lib/etcd/member'), 'etcd contents change constantly and are not recorded');
  assert.ok(byPath.has('/var/lib/kubelet/config.yaml') && byPath.has('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf'));
  assert.ok(byPath.has('/etc/kubernetes/audit-policy.yaml'), 'files the API server names');
  assert.deepEqual(baseline.problems, []);
  assert.deepEqual(asBaseline(JSON.parse(JSON.stringify(baseline))), baseline, 'a baseline survives its JSON round trip');
  assert.match(String(asBaseline({ kind: 'KubehardenNodeBaseline', version: 1, files: [{ path: 1 }] })), /files must be a list/);
});

test('drift reports each added, removed, changed and re-permissioned file, and nothing else', () => {
  const root = fresh();
  const before = recordBaseline(collectNodeFacts({ root }));
  appendFileSync(path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), '# edited\n');
  chmodSync(path.join(root, 'etc/kubernetes/admin.conf'), 0o644);
  chownSync(path.join(root, 'etc/kubernetes/pki/ca.key'), ALICE, ALICE);
  writeFileSync(path.join(root, 'etc/kubernetes/manifests/backdoor.yaml'), 'apiVersion: v1\nkind: Pod\n');
  rmSync(path.join(root, 'etc/kubernetes/super-admin.conf'));
  const result = driftResult(before, recordBaseline(collectNodeFacts({ root })), { type: 'node' }, 'high');
  assert.deepEqual(result.findings.map((f) => f.message).sort(), [
    '/etc/kubernetes/admin.conf (kubeconfig) re-permissioned: mode 600 → 644',
    '/etc/kubernetes/manifests/backdoor.yaml (static pod manifest) added: file added (mode 644, owner root:root)',
    `/etc/kubernetes/manifests/kube-apiserver.yaml (static pod manifest) changed: ${result.findings.find((f) => f.location.path === 'sha256')!.message.split('changed: ')[1]}`,
    '/etc/kubernetes/pki/ca.key (PKI) re-permissioned: owner root:root → alice:alice',
    '/etc/kubernetes/super-admin.conf (kubeconfig) removed: file removed',
  ].sort());
  assert.equal(result.checks[0]!.status, 'fail');
  assert.ok(result.findings.every((f) => f.resource.kind === 'File' && f.location.file === f.resource.name));
  assert.equal(result.findings.find((f) => f.location.path === 'sha256')!.severity, 'high');
});

test('no drift: the check passes with no findings', () => {
  const root = fresh();
  const before = recordBaseline(collectNodeFacts({ root }));
  const result = driftResult(before, recordBaseline(collectNodeFacts({ root })), { type: 'node' }, 'high');
  assert.equal(result.checks[0]!.status, 'pass');
  assert.deepEqual(result.findings, []);
});

test('CLI: node baseline then node drift; exit 1 on drift, 2 on a bad baseline', () => {
  const root = fresh();
  const out = mkdtempSync(path.join(tmpdir(), 'kubeharden-baseline-'));
  dirs.push(out);
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), ...args], { encoding: 'utf8' });
  const file = path.join(out, 'baseline.json');
  assert.equal(cli('node', 'baseline', '--root', root, '-o', file).status, 0);
  assert.equal(cli('node', 'drift', '--root', root, '-b', file, '--format', 'json').status, 0);
  chmodSync(path.join(root, 'etc/kubernetes/manifests/etcd.yaml'), 0o666);
  const drift = cli('node', 'drift', '--root', root, '-b', file, '--format', 'json');
  assert.equal(drift.status, 1);
  assert.equal(JSON.parse(drift.stdout).findings[0].message, '/etc/kubernetes/manifests/etcd.yaml (static pod manifest) re-permissioned: mode 600 → 666');
  const table = cli('node', 'drift', '--root', root, '-b', file, '--format', 'table');
  assert.match(table.stdout, /re-permissioned: mode 600 → 666/);
  writeFileSync(path.join(out, 'bad.json'), '{"kind": "Something"}');
  const bad = cli('node', 'drift', '--root', root, '-b', path.join(out, 'bad.json'));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not a kubeharden node baseline/);
  assert.equal(cli('node', 'drift', '--root', root, '-b', path.join(out, 'missing.json')).status, 2);
});
