// Reading a node: real processes from /proc (a long-sleeping process whose argv[0] is
// kube-apiserver), precedence of a running process over its manifest, and bad input —
// unreadable files, broken manifests, a kubelet config of the wrong kind, a missing --root.
// The node CLI is tested here too, so no other test file runs while a fake component lives.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, symlinkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { collectNodeFacts, NodeSourceError } from '../../../src/sources/node/collect.js';
import { REAL_FS, type FsLayer } from '../../../src/sources/node/host.js';
import { REPO_ROOT } from '../../helpers.js';
import { buildRoot } from './roots.js';

const cleanup: string[] = [];
after(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));
const root = (role: 'control-plane' | 'worker', variant: 'kubeadm' | 'hardened') => {
  const dir = buildRoot(role, variant);
  cleanup.push(dir);
  return dir;
};
const outcome = (id: string, facts: ReturnType<typeof collectNodeFacts>) => cisNodeChecks.find((c) => c.id === id)!.evaluateNode(facts);

/** Starts a sleeping process whose /proc/PID/cmdline is `<name> <script> ...flags`, and waits until it shows. */
async function fakeComponent(name: string, flags: string[], env: Record<string, string> = {}): Promise<ChildProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-proc-'));
  cleanup.push(dir);
  const script = path.join(dir, 'sleep.cjs');
  writeFileSync(script, 'setTimeout(() => {}, 600000);\n');
  const child = spawn(process.execPath, [script, ...flags], { argv0: name, stdio: 'ignore', env: { PATH: process.env.PATH ?? '', ...env } });
  for (;;) {
    try {
      if (readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith(`${name}\0`)) return child;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A proc folder that shows only this process (a link to its /proc entry). The real /proc also
 * shows processes of tests running in parallel (the etcd probe's tests start a real etcd).
 */
function isolatedProc(child: ChildProcess): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeharden-procroot-'));
  cleanup.push(dir);
  symlinkSync(`/proc/${child.pid}`, path.join(dir, String(child.pid)));
  return dir;
}

test('a running kube-apiserver is found in /proc and its flags win over its static pod manifest', async () => {
  const child = await fakeComponent('kube-apiserver', ['--anonymous-auth=false', '--profiling', '--authorization-mode', 'Node,RBAC', '--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=EventRateLimit']);
  try {
    assert.deepEqual(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').slice(0, 1), ['kube-apiserver']);
    const facts = collectNodeFacts({ root: root('control-plane', 'hardened'), procRoot: isolatedProc(child) });
    const apiservers = facts.components.get('kube-apiserver')!;
    assert.equal(apiservers.length, 1);
    assert.deepEqual(apiservers[0]!.origin, { kind: 'process', pid: child.pid });

    // The hardened manifest says --profiling=false, the process runs with a bare --profiling.
    const profiling = outcome('apiserver-profiling-disabled', facts);
    assert.equal(profiling.status, 'fail');
    assert.deepEqual(profiling.evidence, [{ subject: 'kube-apiserver --profiling', value: 'true', source: `process ${child.pid} argv[3] [flag]` }]);
    assert.match(profiling.findings[0]!.location.file, new RegExp(`/${child.pid}/cmdline$`));
    assert.equal(profiling.findings[0]!.resource.kind, 'Process');

    assert.equal(outcome('apiserver-anonymous-auth-disabled', facts).status, 'pass');
    assert.equal(outcome('apiserver-authorization-includes-rbac', facts).status, 'pass', '--authorization-mode Node,RBAC in the space form');
    // Repeated list flags accumulate: EventRateLimit runs beside NodeRestriction (and needs its configuration file).
    assert.equal(outcome('apiserver-node-restriction-plugin-enabled', facts).status, 'pass');
    assert.match(outcome('apiserver-event-rate-limit-enabled', facts).reason, /EventRateLimit is enabled but --admission-control-config-file is not set/);
    // Components without a process still come from their manifests.
    assert.equal(facts.components.get('kube-scheduler')![0]!.origin.kind, 'manifest');
  } finally {
    child.kill();
  }
});

test('with --root and no --proc, processes are not read: the manifests are', () => {
  const facts = collectNodeFacts({ root: root('control-plane', 'hardened') });
  assert.equal(facts.procRoot, undefined);
  assert.equal(facts.components.get('kube-apiserver')![0]!.origin.kind, 'manifest');
  assert.equal(outcome('apiserver-profiling-disabled', facts).status, 'pass');
});

test('the CLI audits a node: table and JSON, exit 1 on failures, evidence in the JSON', () => {
  const dir = root('control-plane', 'kubeadm');
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), 'scan', '--node', '--root', dir, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.equal(result.target.type, 'node');
  const item = result.checks.find((c: { id: string }) => c.id === 'apiserver-profiling-disabled');
  assert.equal(item.status, 'fail');
  assert.equal(item.evidence[0].subject, 'kube-apiserver --profiling');
  const table = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), 'scan', '--node', '--root', dir, '--format', 'table'], { encoding: 'utf8' });
  assert.match(table.stdout, /\[FAIL\]\s+1\.2\.15\s+API server profiling is off/);
  assert.match(table.stdout, /\[PASS\]\s+1\.1\.1\s+/);
  assert.match(table.stdout, /CIS items: \d+ pass, \d+ fail/);
});

test('a missing --root is a usage error (exit 2) with a clear message; --root without --node too', () => {
  assert.throws(() => collectNodeFacts({ root: '/nonexistent/host' }), (e: unknown) => e instanceof NodeSourceError && /no such folder/.test((e as Error).message));
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), 'scan', '--node', '--root', '/nonexistent/host'], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--root \/nonexistent\/host: no such folder/);
  const noNode = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), 'scan', '--root', '/tmp'], { encoding: 'utf8' });
  assert.equal(noNode.status, 2);
  assert.match(noNode.stderr, /kubeharden: --root goes with --node/);
});

test('a static pod manifest that is not valid YAML: an error naming the file, its items skip, no crash', () => {
  const dir = root('control-plane', 'hardened');
  writeFileSync(path.join(dir, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'apiVersion: v1\nkind: Pod\nspec: [unclosed\n');
  const facts = collectNodeFacts({ root: dir });
  assert.ok(facts.errors.some((e) => e.source === '/etc/kubernetes/manifests/kube-apiserver.yaml' && /invalid YAML/.test(e.message)), JSON.stringify(facts.errors));
  const profiling = outcome('apiserver-profiling-disabled', facts);
  assert.equal(profiling.status, 'skip');
  assert.match(profiling.reason, /no static pod manifest for it in \/etc\/kubernetes\/manifests/);
  assert.equal(outcome('scheduler-profiling-disabled', facts).status, 'pass', 'the other manifests are still read');
});

test('a kubelet config of the wrong kind: kubelet items that need it skip with the reason, flags still count', () => {
  const dir = root('worker', 'hardened');
  writeFileSync(path.join(dir, 'var/lib/kubelet/config.yaml'), 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\n');
  const facts = collectNodeFacts({ root: dir });
  assert.ok(facts.errors.some((e) => /kind KubeProxyConfiguration .*expected KubeletConfiguration/.test(e.message)));
  const anonymous = outcome('kubelet-anonymous-auth-disabled', facts);
  assert.equal(anonymous.status, 'skip');
  assert.match(anonymous.reason, /could not be used: .*kind KubeProxyConfiguration/);
  assert.equal(outcome('kubelet-hostname-not-overridden', facts).status, 'pass', 'a flag-only setting is still decided');
});

test('a kubelet config path that is a directory: skip with "is a directory"', () => {
  const dir = root('worker', 'hardened');
  rmSync(path.join(dir, 'var/lib/kubelet/config.yaml'));
  mkdirSync(path.join(dir, 'var/lib/kubelet/config.yaml'));
  const facts = collectNodeFacts({ root: dir });
  const readOnly = outcome('kubelet-read-only-port-disabled', facts);
  assert.equal(readOnly.status, 'skip');
  assert.match(readOnly.reason, /is a directory/);
});

test('permission denied (an injected filesystem): files that cannot be read skip, never pass', () => {
  const dir = root('control-plane', 'hardened');
  const denied = (p: string) => p.endsWith('/etc/kubernetes/admin.conf') || p.endsWith('/var/lib/kubelet/config.yaml');
  const eacces = () => Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
  const fs: FsLayer = {
    ...REAL_FS,
    statSync: (p) => { if (denied(p)) throw eacces(); return REAL_FS.statSync(p); },
    readFileSync: (p) => { if (denied(p)) throw eacces(); return REAL_FS.readFileSync(p); },
  };
  const facts = collectNodeFacts({ root: dir, fs });
  const admin = outcome('admin-kubeconfig-mode', facts);
  assert.equal(admin.status, 'skip');
  assert.match(admin.reason, /\/etc\/kubernetes\/admin\.conf: permission denied/);
  const anonymous = outcome('kubelet-anonymous-auth-disabled', facts);
  assert.equal(anonymous.status, 'skip');
  assert.match(anonymous.reason, /permission denied/);
});

test('permission denied for real: the CLI run as an unprivileged user skips what it cannot read', () => {
  const dir = root('control-plane', 'hardened');
  chmodSync(dir, 0o755);
  // The CLI's code is loaded as root, then the process drops to nobody before it reads the
  // host: the checkout itself may sit where nobody cannot read (CI clones into a mode-700
  // temporary folder), while every read of the host root happens as nobody.
  const launcher = `
    const { main } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js')).href)});
    process.setgroups([]); process.setgid(65534); process.setuid(65534);
    process.exitCode = await main([process.execPath, 'kubeharden', ...process.argv.slice(1)]);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', launcher, 'scan', '--node', '--root', dir, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  const byId = (id: string) => result.checks.find((c: { id: string }) => c.id === id);
  // /etc/kubernetes/manifests/*.yaml are 0600 root: nobody cannot read them, so flag items skip.
  assert.equal(byId('apiserver-profiling-disabled').status, 'skip');
  assert.ok(result.errors.some((e: { message: string }) => /permission denied/.test(e.message)), JSON.stringify(result.errors));
  // stat needs no read permission: mode items still decide.
  assert.equal(byId('apiserver-manifest-mode').status, 'pass');
  assert.equal(result.checks.filter((c: { status: string }) => c.status === 'pass').every((c: { evidence?: unknown[] }) => (c.evidence ?? []).length > 0), true);
});

test('a manifest with "--profiling false" (space form for a boolean): profiling is on, and a warning says why', () => {
  const dir = root('control-plane', 'hardened');
  const file = path.join(dir, 'etc/kubernetes/manifests/kube-scheduler.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('    - --profiling=false\n', '    - --profiling\n    - "false"\n'));
  const facts = collectNodeFacts({ root: dir });
  assert.equal(outcome('scheduler-profiling-disabled', facts).status, 'fail');
  assert.ok(facts.errors.some((e) => /kube-scheduler has stray argument\(s\) "false"/.test(e.message)), JSON.stringify(facts.errors));
});

test('a running kubelet: its --config file is read from the host, and its flags override it', async () => {
  const child = await fakeComponent('kubelet', ['--config=/var/lib/kubelet/config.yaml', '--anonymous-auth=true', '--kubeconfig=/etc/kubernetes/kubelet.conf']);
  try {
    const facts = collectNodeFacts({ root: root('worker', 'hardened'), procRoot: isolatedProc(child) });
    const kubelet = facts.components.get('kubelet')!;
    assert.equal(kubelet.length, 1);
    assert.deepEqual(kubelet[0]!.origin, { kind: 'process', pid: child.pid });
    assert.equal(kubelet[0]!.config?.how, '--config flag');
    // The config file says anonymous.enabled: false; the flag says true and wins.
    const anonymous = outcome('kubelet-anonymous-auth-disabled', facts);
    assert.equal(anonymous.status, 'fail');
    assert.match(anonymous.evidence[0]!.source ?? '', new RegExp(`process ${child.pid} argv\\[3\\] \\(the flag overrides the config file\\)`));
    // Settings the flags leave alone come from the file.
    const pids = outcome('kubelet-pod-pids-limit', facts);
    assert.equal(pids.status, 'pass');
    assert.equal(pids.evidence[0]!.source, 'config file /var/lib/kubelet/config.yaml, podPidsLimit [config file]');
  } finally {
    child.kill();
  }
});

test('a running kubelet without --config keeps the legacy flag defaults', async () => {
  const child = await fakeComponent('kubelet', ['--kubeconfig=/etc/kubernetes/kubelet.conf']);
  try {
    const facts = collectNodeFacts({ root: root('worker', 'hardened'), procRoot: isolatedProc(child) });
    const readOnly = outcome('kubelet-read-only-port-disabled', facts);
    assert.equal(readOnly.status, 'warn');
    assert.match(readOnly.findings[0]!.message, /not set \(legacy flag default: 10255\)/);
    assert.equal(outcome('kubelet-anonymous-auth-disabled', facts).status, 'fail');
  } finally {
    child.kill();
  }
});

test('an etcd --config-file in the static pod is read from the host and replaces the flags', () => {
  const dir = root('control-plane', 'hardened');
  const manifest = path.join(dir, 'etc/kubernetes/manifests/etcd.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('    - --client-cert-auth=true\n', '    - --client-cert-auth=true\n    - --config-file=/etc/etcd/etcd.yaml\n'));
  mkdirSync(path.join(dir, 'etc/etcd'), { recursive: true });
  writeFileSync(path.join(dir, 'etc/etcd/etcd.yaml'), 'data-dir: /var/lib/etcd\nclient-transport-security:\n  client-cert-auth: false\n');
  const facts = collectNodeFacts({ root: dir });
  const auth = outcome('etcd-client-cert-auth', facts);
  assert.equal(auth.status, 'fail');
  assert.match(auth.findings[0]!.message, /etcd client-transport-security.client-cert-auth \(--client-cert-auth\) is "false" \(config file\)/);
  assert.equal(outcome('etcd-client-tls', facts).status, 'fail', 'cert-file is only on the ignored command line');
});

test('kubelet --config-dir drop-ins merge over the config file in name order; flags still win', () => {
  const dir = root('worker', 'hardened');
  const unit = path.join(dir, 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf');
  writeFileSync(unit, readFileSync(unit, 'utf8').replace('--config=/var/lib/kubelet/config.yaml', '--config=/var/lib/kubelet/config.yaml --config-dir=/etc/kubernetes/kubelet.conf.d --seccomp-default=false'));
  const dropIns = path.join(dir, 'etc/kubernetes/kubelet.conf.d');
  mkdirSync(dropIns, { recursive: true });
  const head = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
  writeFileSync(path.join(dropIns, '50-ports.conf'), head + 'readOnlyPort: 10255\nauthentication:\n  webhook:\n    enabled: true\n');
  writeFileSync(path.join(dropIns, '90-later.conf'), head + 'podPidsLimit: 1024\n');
  writeFileSync(path.join(dropIns, 'ignored.yaml'), head + 'podPidsLimit: -1\n');
  const facts = collectNodeFacts({ root: dir });
  const readOnly = outcome('kubelet-read-only-port-disabled', facts);
  assert.equal(readOnly.status, 'warn');
  assert.equal(readOnly.findings[0]!.location.file, '/etc/kubernetes/kubelet.conf.d/50-ports.conf');
  assert.equal(outcome('kubelet-anonymous-auth-disabled', facts).status, 'pass', 'maps merge: authentication.anonymous from the config file stays');
  assert.match(outcome('kubelet-pod-pids-limit', facts).evidence[0]!.source ?? '', /90-later\.conf, podPidsLimit/);
  assert.equal(outcome('kubelet-seccomp-default', facts).status, 'warn', 'the flag beats the file');
});

test('a running etcd: ETCD_* variables from /proc/PID/environ count, other variables are never kept', async () => {
  const child = await fakeComponent('etcd', ['--cert-file=/etc/kubernetes/pki/etcd/server.crt'], { ETCD_CLIENT_CERT_AUTH: 'true', ETCD_KEY_FILE: '/etc/kubernetes/pki/etcd/server.key', API_TOKEN: 'do-not-read' });
  try {
    const facts = collectNodeFacts({ root: root('control-plane', 'hardened'), procRoot: isolatedProc(child) });
    const etcd = facts.components.get('etcd')![0]!;
    assert.deepEqual([...etcd.env.keys()].sort(), ['ETCD_CLIENT_CERT_AUTH', 'ETCD_KEY_FILE']);
    const auth = outcome('etcd-client-cert-auth', facts);
    assert.equal(auth.status, 'pass');
    assert.equal(auth.evidence[0]!.source, `process ${child.pid}, environment variable ETCD_CLIENT_CERT_AUTH [environment]`);
    assert.equal(outcome('etcd-client-tls', facts).status, 'pass', 'cert from the flag, key from the environment');
  } finally {
    child.kill();
  }
});
