// Node audits of k3s, RKE2, EKS, GKE and AKS nodes, each against its own benchmark, from host
// roots built with real files, modes and owners (distribution-roots.ts). For each distribution
// the default install gives exactly the items its benchmark text says a default install fails;
// the hardened one passes all but the items a person must judge.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBenchmark } from '../../../src/checks/node/benchmarks.js';
import { benchmarkOf, benchmarkTarget } from '../../../src/engine/node-benchmark.js';
import { runNodeChecks } from '../../../src/engine/node-run.js';
import type { Result } from '../../../src/result/result.js';
import { collectNodeFacts } from '../../../src/sources/node/collect.js';
import { Host } from '../../../src/sources/node/host.js';
import { unitCommand } from '../../../src/sources/node/systemd-unit.js';
import { REPO_ROOT } from '../../helpers.js';
import { aksRoot, bottlerocketRoot, eksAl2Root, eksRoot, gkeRoot, k3sAgentRoot, k3sRoot, rke2Root, EKS_KUBELET_ARGS, type DistVariant } from './distribution-roots.js';

const cleanup: string[] = [];
after(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));
function keep(dir: string): string {
  cleanup.push(dir);
  return dir;
}

async function audit(root: string, options: { procRoot?: string; benchmark?: string } = {}): Promise<Result> {
  const facts = collectNodeFacts({ root, ...options });
  assert.deepEqual(facts.errors, []);
  const benchmark = benchmarkOf(facts);
  return runNodeChecks(facts, benchmark.checks, { type: 'node', root, benchmark: benchmarkTarget(facts, benchmark) });
}

/** Every check that does not pass, but the items the distribution's layout makes inapplicable. */
function notPassing(result: Result): Record<string, string> {
  return Object.fromEntries(result.checks.filter((c) => c.status !== 'pass' && !(c.status === 'skip' && /^not applicable/.test(c.reason ?? ''))).map((c) => [c.id, c.status]));
}

function notApplicable(result: Result): string[] {
  return result.checks.filter((c) => c.status === 'skip' && /^not applicable/.test(c.reason ?? '')).map((c) => c.controls[0]!);
}

const root = (build: (v: DistVariant) => string, v: DistVariant) => keep(build(v));

// The provider-managed control-plane items: a person checks them in the provider's API.
const EKS_GUIDANCE = { 'eks-audit-logs-enabled': 'manual', 'eks-secrets-encrypted-with-kms': 'manual', 'eks-endpoint-access-restricted': 'manual', 'eks-private-endpoint': 'manual', 'eks-private-nodes': 'manual' };
const GKE_GUIDANCE = {
  'gke-secrets-encrypted-with-kms': 'manual', 'gke-shielded-nodes': 'manual', 'gke-authorized-networks': 'manual', 'gke-private-endpoint': 'manual',
  'gke-logging-enabled': 'manual', 'gke-client-certificates-disabled': 'manual', 'gke-legacy-abac-disabled': 'manual',
};
const AKS_GUIDANCE = { 'aks-audit-logs-enabled': 'manual', 'aks-secrets-encrypted-with-kms': 'manual', 'aks-endpoint-access-restricted': 'manual', 'aks-private-endpoint': 'manual', 'aks-entra-id-rbac': 'manual' };

test('EKS AL2023 worker: detected from nodeadm\'s files, judged against CIS EKS 1.8; a default node passes every worker item', async () => {
  const result = await audit(root(eksRoot, 'default'));
  const benchmark = result.target.benchmark as Record<string, unknown>;
  assert.equal(benchmark.name, 'cis-eks-1.8');
  assert.equal(benchmark.how, 'detected');
  assert.equal(benchmark.flavour, 'al2023');
  assert.deepEqual(benchmark.evidence, ['/etc/eks/kubelet/environment exists', '/usr/bin/nodeadm exists', '/etc/kubernetes/kubelet/config.json exists', '/etc/os-release ID=amzn']);
  assert.deepEqual(benchmark.providerManaged, [{ section: '1', title: 'Control Plane Components (run by AWS)' }]);
  // nodeadm writes config.json and the kubeconfig 0644 (3.1.1/3.1.3 allow 644) and the 3.2 settings the benchmark asks for.
  assert.deepEqual(notPassing(result), EKS_GUIDANCE);
  // 18 benchmark items, and config-file-decodes on nodeadm's config.json (which decodes: it passes).
  assert.equal(result.checks.length, 19);
  assert.equal(result.checks.find((c) => c.id === 'config-file-decodes')?.status, 'pass');
  assert.deepEqual(result.checks.filter((c) => c.controls[0]?.startsWith('cis-eks:3')).map((c) => c.controls[0]), [
    'cis-eks:3.1.1', 'cis-eks:3.1.2', 'cis-eks:3.1.3', 'cis-eks:3.1.4',
    'cis-eks:3.2.1', 'cis-eks:3.2.2', 'cis-eks:3.2.3', 'cis-eks:3.2.4', 'cis-eks:3.2.5', 'cis-eks:3.2.6', 'cis-eks:3.2.7', 'cis-eks:3.2.8', 'cis-eks:3.2.9',
  ]);
  // The kubelet came from kubelet.service + the environment file nodeadm writes; its settings from config.json.
  const anonymous = result.checks.find((c) => c.id === 'eks-kubelet-anonymous-auth-disabled')!;
  assert.deepEqual(anonymous.evidence, [{ subject: 'kubelet authentication.anonymous.enabled (--anonymous-auth)', value: 'false', source: 'config file /etc/kubernetes/kubelet/config.json, authentication.anonymous.enabled [config file]' }]);
  const config = result.checks.find((c) => c.id === 'eks-kubelet-config-file-mode')!;
  assert.deepEqual(config.evidence, [{ subject: '/etc/kubernetes/kubelet/config.json', value: 'mode 644 owner root:root', source: 'kubelet config file (--config flag)' }]);
  assert.deepEqual(result.summary.frameworks['cis-eks'], { pass: 13, fail: 0, manual: 5, score: 100 });
  assert.deepEqual((await audit(root(eksRoot, 'hardened'))).checks.filter((c) => c.status !== 'pass').map((c) => c.id), Object.keys(EKS_GUIDANCE));
});

test('EKS: a user drop-in in config.json.d that re-enables anonymous auth and the read-only port, and a world-writable kubeconfig, fail their items', async () => {
  const result = await audit(root(eksRoot, 'weak'));
  assert.deepEqual(notPassing(result), {
    'eks-kubelet-kubeconfig-mode': 'fail', 'eks-kubelet-config-file-owner': 'fail',
    'eks-kubelet-anonymous-auth-disabled': 'fail', 'eks-kubelet-read-only-port-disabled': 'fail', ...EKS_GUIDANCE,
  });
  const anonymous = result.findings.find((f) => f.check === 'eks-kubelet-anonymous-auth-disabled')!;
  assert.equal(anonymous.location.file, '/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf');
  assert.deepEqual(anonymous.controls, ['cis-eks:3.2.1', 'nsa:A2']);
  // A zero streamingConnectionIdleTimeout in a config file is the 4h default, not "no timeout".
  assert.equal(result.checks.find((c) => c.id === 'eks-kubelet-streaming-idle-timeout')!.status, 'pass');
});

test('GKE COS worker: CIS GKE 1.9 has four worker items (3.1.1–3.1.4, the kubelet files); its control plane is Google\'s', async () => {
  const result = await audit(root(gkeRoot, 'default'));
  const benchmark = result.target.benchmark as Record<string, unknown>;
  assert.equal(benchmark.name, 'cis-gke-1.9');
  assert.equal(benchmark.flavour, 'cos');
  assert.deepEqual(notPassing(result), GKE_GUIDANCE);
  assert.deepEqual(result.checks.find((c) => c.id === 'gke-kubelet-config-file-mode')!.evidence, [{ subject: '/home/kubernetes/kubelet-config.yaml', value: 'mode 644 owner root:root', source: 'kubelet config file (--config flag)' }]);
  assert.deepEqual(result.checks.find((c) => c.id === 'gke-kubelet-kubeconfig-mode')!.evidence?.map((e) => e.subject), ['/var/lib/kubelet/kubeconfig']);
  assert.deepEqual(notPassing(await audit(root(gkeRoot, 'hardened'))), GKE_GUIDANCE);
  assert.deepEqual(notPassing(await audit(root(gkeRoot, 'weak'))), { 'gke-kubelet-config-file-mode': 'fail', 'gke-kubelet-config-file-owner': 'fail', ...GKE_GUIDANCE });
});

test('AKS worker: the kubelet from AgentBaker\'s kubelet.service and /etc/default/kubelet (flags) or kubeletconfig.json; azure.json is 3.1.3/3.1.4', async () => {
  const flags = await audit(root(aksRoot, 'default'));
  assert.equal((flags.target.benchmark as Record<string, unknown>).name, 'cis-aks-1.8');
  assert.deepEqual(notPassing(flags), AKS_GUIDANCE);
  assert.equal(flags.checks.find((c) => c.id === 'aks-kubelet-event-qps')!.evidence![0]!.source, 'kubelet systemd unit /etc/systemd/system/kubelet.service + /etc/default/kubelet (process not seen) (the flag overrides the config file) [flag]');
  const configFile = await audit(root(aksRoot, 'hardened'));
  assert.deepEqual(notPassing(configFile), AKS_GUIDANCE);
  assert.match(configFile.checks.find((c) => c.id === 'aks-kubelet-read-only-port-disabled')!.evidence![0]!.source!, /config file \/etc\/default\/kubeletconfig.json, readOnlyPort/);
  assert.deepEqual(notPassing(await audit(root(aksRoot, 'weak'))), {
    'aks-kubelet-kubeconfig-mode': 'fail', 'aks-azure-json-mode': 'fail', 'aks-azure-json-owner': 'fail',
    'aks-kubelet-anonymous-auth-disabled': 'fail', 'aks-kubelet-event-qps': 'fail', 'aks-kubelet-rotates-client-certificates': 'fail', ...AKS_GUIDANCE,
  });
});

/**
 * A default k3s server (SQLite through kine, secrets-encryption: true), judged by the CIS
 * Kubernetes items as the k3s CIS self-assessment guide maps them. k3s sets anonymous-auth,
 * profiling, NodeRestriction, the kubelet CA and certificates itself; what the k3s hardening
 * guide tells users to add is what fails here.
 */
const K3S_DEFAULT_FAILS: Record<string, string> = {
  'apiserver-deny-service-external-ips': 'warn', // 1.2.3 (Manual): not in k3s's NodeRestriction-only plugin list
  'apiserver-event-rate-limit-enabled': 'warn', // 1.2.9 (Manual)
  'apiserver-always-pull-images': 'warn', // 1.2.11 (Manual)
  'apiserver-audit-log-path': 'fail', // 1.2.16: k3s writes no audit log unless told
  'apiserver-audit-log-maxage': 'fail', // 1.2.17
  'apiserver-audit-log-maxbackup': 'fail', // 1.2.18
  'apiserver-audit-log-maxsize': 'fail', // 1.2.19
  'apiserver-request-timeout-appropriate': 'manual', // 1.2.20
  'apiserver-strong-tls-ciphers': 'warn', // 1.2.29 (Manual): Go's defaults
  'apiserver-no-extended-token-expiration': 'fail', // 1.2.30: upstream default true
  'controller-manager-terminated-pod-gc-threshold': 'warn', // 1.3.1 (Manual)
  'users-not-authenticated-by-client-certificates': 'manual', // 3.1.1
  'users-not-authenticated-by-service-account-tokens': 'manual', // 3.1.2
  'users-not-authenticated-by-bootstrap-tokens': 'manual', // 3.1.3
  'apiserver-audit-policy-file': 'warn', // 3.2.1 (Manual)
  'audit-policy-covers-key-risks': 'warn', // 3.2.2 (Manual)
  'kubelet-strong-tls-ciphers': 'warn', // 4.2.12 (Manual)
  'kubelet-pod-pids-limit': 'warn', // 4.2.13 (Manual)
  'kubelet-seccomp-default': 'warn', // 4.2.14 (Manual)
  // NSA N12 prefers a KMS provider; k3s's secrets encryption is aescbc (CIS 1.2.28 accepts it).
  'encryption-provider-recommended': 'fail',
  // No audit policy file: the audit policy's own checks have nothing to read.
  'audit-policy-valid': 'skip', 'audit-policy-keeps-secrets-out-of-logs': 'skip', 'audit-policy-records-security-events': 'skip',
  'audit-policy-rules-reachable': 'skip', 'audit-policy-ends-with-catch-all': 'skip',
};

const MANUAL_ONLY = {
  'apiserver-request-timeout-appropriate': 'manual', 'users-not-authenticated-by-client-certificates': 'manual',
  'users-not-authenticated-by-service-account-tokens': 'manual', 'users-not-authenticated-by-bootstrap-tokens': 'manual', 'encryption-provider-recommended': 'fail',
};

const NO_MANIFESTS = ['cis:1.1.1', 'cis:1.1.2', 'cis:1.1.3', 'cis:1.1.4', 'cis:1.1.5', 'cis:1.1.6', 'cis:1.1.7', 'cis:1.1.8'];

test('k3s server with secrets encryption (SQLite): the embedded components\' flags are k3s\'s defaults; exactly the hardening-guide items fail', async () => {
  const result = await audit(root(k3sRoot, 'default'));
  const benchmark = result.target.benchmark as Record<string, unknown>;
  assert.equal(benchmark.name, 'k3s-cis-1.12');
  assert.equal(benchmark.role, 'server');
  assert.equal(benchmark.datastore, 'sqlite');
  assert.deepEqual(notPassing(result), K3S_DEFAULT_FAILS);
  // SQLite through kine: no etcd, so its items and the API server's etcd TLS items do not apply.
  assert.deepEqual(notApplicable(result), [...NO_MANIFESTS, 'cis:1.1.11', 'cis:1.1.12', 'cis:1.2.23', 'cis:1.2.26', 'cis:2.1', 'cis:2.2', 'cis:2.3', 'cis:2.4', 'cis:2.5', 'cis:2.6', 'cis:2.7', 'cis:4.1.1', 'cis:4.1.2', 'cis:4.2.7']);
  // secrets-encryption: true makes k3s pass server/cred/encryption-config.json, which is read and judged.
  const encryption = result.checks.find((c) => c.id === 'apiserver-strong-encryption-provider')!;
  assert.equal(encryption.status, 'pass');
  assert.deepEqual(encryption.evidence!.map((e) => e.value), ['/var/lib/rancher/k3s/server/cred/encryption-config.json', 'aescbc']);
  // Each flag says where it came from: k3s's own default here.
  assert.match(result.checks.find((c) => c.id === 'apiserver-profiling-disabled')!.evidence![0]!.source!, /\(embedded kube-apiserver: k3s defaults\): k3s default \[flag\]$/);
  // File items name the k3s paths.
  assert.deepEqual(result.checks.find((c) => c.id === 'admin-kubeconfig-mode')!.evidence!.map((e) => e.subject), ['/var/lib/rancher/k3s/server/cred/admin.kubeconfig', '/etc/rancher/k3s/k3s.yaml']);
  assert.deepEqual(result.checks.find((c) => c.id === 'kubelet-config-file-mode')!.evidence!.map((e) => e.subject), ['/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf']);
  assert.equal(result.checks.find((c) => c.id === 'pki-key-mode')!.evidence![0]!.subject, '/var/lib/rancher/k3s/server/tls/client-auth-proxy.key');
  assert.equal(result.checks.find((c) => c.id === 'kube-proxy-kubeconfig-mode')!.evidence![0]!.subject, '/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig');
});

test('k3s hardened as its guide says (config.yaml + config.yaml.d, embedded etcd): only the items a person judges remain', async () => {
  const result = await audit(root(k3sRoot, 'hardened'));
  assert.equal((result.target.benchmark as Record<string, unknown>).datastore, 'embedded-etcd');
  assert.deepEqual(notPassing(result), MANUAL_ONLY);
  assert.deepEqual(notApplicable(result), [...NO_MANIFESTS, 'cis:1.1.12', 'cis:4.1.1', 'cis:4.1.2', 'cis:4.2.7']);
  // etcd's items read the configuration k3s writes for its embedded etcd.
  assert.match(result.checks.find((c) => c.id === 'etcd-client-cert-auth')!.reason!, /client-transport-security.client-cert-auth \(--client-cert-auth\) = "true"/);
  // kubelet-arg+ in config.yaml.d/50-kubelet.yaml appends to the kubelet's arguments.
  assert.deepEqual(result.checks.find((c) => c.id === 'kubelet-pod-pids-limit')!.evidence![0]!.value, '4096');
  // A user argument replaces k3s's default of the same flag (util.GetArgs): the plugin list is the user's.
  assert.match(result.checks.find((c) => c.id === 'apiserver-node-restriction-plugin-enabled')!.reason!, /NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs/);
});

test('k3s weak: kube-apiserver-arg overrides k3s\'s safe defaults, and a world-readable CA key fails', async () => {
  const result = await audit(root(k3sRoot, 'weak'));
  const failing = notPassing(result);
  assert.equal(failing['apiserver-anonymous-auth-disabled'], 'warn');
  assert.equal(failing['apiserver-profiling-disabled'], 'fail');
  assert.equal(failing['pki-key-mode'], 'warn');
  assert.equal(failing['admin-kubeconfig-mode'], 'fail');
  assert.match(result.checks.find((c) => c.id === 'apiserver-profiling-disabled')!.evidence![0]!.source!, /: kube-apiserver-arg in \/etc\/rancher\/k3s\/config.yaml, \/etc\/systemd\/system\/k3s.service \[flag\]$/);
  assert.match(result.checks.find((c) => c.id === 'apiserver-profiling-disabled')!.reason!, /"true" \(flag\) in k3s server \(embedded kube-apiserver: k3s defaults with kube-apiserver-arg from \/etc\/rancher\/k3s\/config.yaml, \/etc\/systemd\/system\/k3s.service\)/);
});

const RKE2_DEFAULT_FAILS: Record<string, string> = {
  // 1.1.12: without `profile: cis` RKE2 runs etcd as root and leaves its data root:root.
  'etcd-data-dir-owner': 'fail',
  ...Object.fromEntries(Object.entries(K3S_DEFAULT_FAILS)),
};

test('RKE2 server: static pods from agent/pod-manifests, the kubelet from RKE2\'s drop-ins; the CIS profile clears every automated item', async () => {
  const result = await audit(root(rke2Root, 'default'));
  const benchmark = result.target.benchmark as Record<string, unknown>;
  assert.equal(benchmark.name, 'rke2-cis-1.12');
  assert.deepEqual(notPassing(result), RKE2_DEFAULT_FAILS);
  assert.deepEqual(notApplicable(result), ['cis:4.1.1', 'cis:4.1.2', 'cis:4.2.7']);
  const profiling = result.findings.find((f) => f.check === 'apiserver-audit-log-path')!;
  assert.equal(profiling.location.file, '/var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml');
  assert.deepEqual(result.checks.find((c) => c.id === 'apiserver-manifest-mode')!.evidence!.map((e) => e.subject), ['/var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml']);
  assert.deepEqual(result.checks.find((c) => c.id === 'etcd-data-dir-mode')!.evidence!.map((e) => e.subject), ['/var/lib/rancher/rke2/server/db/etcd']);

  const hardened = await audit(root(rke2Root, 'hardened'));
  assert.deepEqual(notPassing(hardened), MANUAL_ONLY);
});

test('--benchmark overrides the detected benchmark, and says so', async () => {
  const result = await audit(root(k3sRoot, 'default'), { benchmark: 'cis-1.12' });
  const benchmark = result.target.benchmark as Record<string, unknown>;
  assert.equal(benchmark.name, 'cis-1.12');
  assert.equal(benchmark.how, '--benchmark');
  assert.equal(benchmark.distribution, 'k3s');
  // The plain CIS benchmark skips nothing as "not applicable": the manifests are simply not found.
  assert.deepEqual(notApplicable(result), []);
  assert.equal(result.checks.find((c) => c.id === 'apiserver-manifest-mode')!.status, 'skip');
});

test('a systemd unit: continuation lines, EnvironmentFile, ${VAR} in one word, $VAR split, drop-ins after the unit', () => {
  const dir = keep(mkdtempSync(path.join(tmpdir(), 'kh-unit-')));
  const write = (p: string, text: string) => {
    const real = path.join(dir, p);
    spawnSync('mkdir', ['-p', path.dirname(real)]);
    writeFileSync(real, text);
  };
  write('/etc/systemd/system/kubelet.service', '[Service]\nEnvironmentFile=-/etc/default/kubelet\nEnvironmentFile=-/etc/missing\nExecStart=/usr/bin/kubelet \\\n  --node-labels="${LABELS}" \\\n  $FLAGS\n');
  write('/etc/systemd/system/kubelet.service.d/20-extra.conf', '[Service]\nEnvironment="EXTRA=--v=2 --max-pods=30"\nExecStart=\nExecStart=/usr/bin/kubelet $FLAGS $EXTRA\n');
  write('/etc/default/kubelet', 'FLAGS="--config /etc/k.yaml --read-only-port=0"\nLABELS=a=b,c=d\n');
  const unit = unitCommand(new Host(dir), 'kubelet.service')!;
  assert.deepEqual(unit.argv, ['/usr/bin/kubelet', '--config', '/etc/k.yaml', '--read-only-port=0', '--v=2', '--max-pods=30']);
  assert.deepEqual(unit.files, ['/etc/systemd/system/kubelet.service', '/etc/default/kubelet', '/etc/systemd/system/kubelet.service.d/20-extra.conf']);
});

// ---------------------------------------------------------------------------------------------
// Real processes: a sleeping node process whose /proc/PID/cmdline is the distribution's.

async function fakeProcess(argv: string[]): Promise<{ child: ChildProcess; proc: string }> {
  const dir = keep(mkdtempSync(path.join(tmpdir(), 'kubeharden-proc-')));
  // The script is named as argv[1] must read ("server" for `k3s server`) and run from its folder.
  const script = argv[1]!.startsWith('-') ? 'sleep.cjs' : argv[1]!;
  writeFileSync(path.join(dir, script), 'setTimeout(() => {}, 600000);\n');
  const rest = argv[1]!.startsWith('-') ? [script, ...argv.slice(1)] : [script, ...argv.slice(2)];
  const child = spawn(process.execPath, rest, { argv0: argv[0], cwd: dir, stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
  for (;;) {
    try {
      if (readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith(`${argv[0]}\0`)) break;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  // A proc folder that shows only this process: other tests run processes too.
  const proc = keep(mkdtempSync(path.join(tmpdir(), 'kubeharden-procroot-')));
  symlinkSync(`/proc/${child.pid}`, path.join(proc, String(child.pid)));
  return { child, proc };
}

test('a running `k3s server` is recognised from /proc, and its own flags go over config.yaml', async () => {
  const { child, proc } = await fakeProcess(['/usr/local/bin/k3s', 'server', '--kube-apiserver-arg', 'profiling=true', '--secrets-encryption']);
  try {
    const result = await audit(root(k3sRoot, 'default'), { procRoot: proc });
    const benchmark = result.target.benchmark as Record<string, unknown>;
    assert.deepEqual((benchmark.evidence as string[]).slice(0, 2), [`process ${child.pid} runs k3s server`, '/etc/rancher/k3s/config.yaml exists']);
    assert.equal(result.checks.find((c) => c.id === 'apiserver-profiling-disabled')!.status, 'fail');
    assert.match(result.checks.find((c) => c.id === 'apiserver-profiling-disabled')!.reason!, new RegExp(`kube-apiserver-arg from /etc/rancher/k3s/config.yaml, process ${child.pid}`));
  } finally {
    child.kill();
  }
});

test('a running EKS kubelet (nodeadm\'s flags) is read from /proc; its --config from the host root', async () => {
  const { child, proc } = await fakeProcess(['/usr/bin/kubelet', ...EKS_KUBELET_ARGS]);
  try {
    const result = await audit(root(eksRoot, 'default'), { procRoot: proc });
    assert.equal((result.target.benchmark as Record<string, unknown>).name, 'cis-eks-1.8');
    const anonymous = result.checks.find((c) => c.id === 'eks-kubelet-anonymous-auth-disabled')!;
    assert.equal(anonymous.status, 'pass');
    // argv[1] is the sleeping script standing in for the binary, so nodeadm's --kubeconfig is argv[6].
    assert.equal(result.checks.find((c) => c.id === 'eks-kubelet-kubeconfig-mode')!.evidence![0]!.source, `kubelet --kubeconfig (process ${child.pid} argv[6] (the flag overrides the config file))`);
  } finally {
    child.kill();
  }
});

// ---------------------------------------------------------------------------------------------
// The command line

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('CLI: scan --node names its benchmark; --benchmark overrides it; checks list --benchmark lists its items', () => {
  const dir = root(rke2Root, 'default');
  const scan = cli(['scan', '--node', '--root', dir, '--format', 'json', '--fail-on', 'none']);
  assert.equal(scan.code, 0, scan.stderr);
  assert.equal(JSON.parse(scan.stdout).target.benchmark.name, 'rke2-cis-1.12');
  const forced = cli(['scan', '--node', '--root', dir, '--benchmark', 'cis-eks-1.8', '--format', 'json', '--fail-on', 'none']);
  assert.equal(JSON.parse(forced.stdout).target.benchmark.how, '--benchmark');
  const bad = cli(['scan', '--node', '--root', dir, '--benchmark', 'cis-eks-9']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Allowed choices are cis-1.12, k3s-cis-1.12, rke2-cis-1.12, cis-eks-1.8, cis-gke-1.9, cis-aks-1.8/);
  const noNode = cli(['scan', 'x.yaml', '--benchmark', 'cis-1.12']);
  assert.equal(noNode.code, 2);
  assert.match(noNode.stderr, /--benchmark goes with --node/);

  const list = cli(['checks', 'list', '--benchmark', 'cis-aks-1.8', '--format', 'json']);
  assert.equal(list.code, 0, list.stderr);
  const items = JSON.parse(list.stdout) as { id: string; controls: string[] }[];
  assert.equal(items.length, findBenchmark('cis-aks-1.8')!.checks.length);
  assert.deepEqual(items.slice(0, 4).map((i) => i.controls[0]), ['cis-aks:3.1.1', 'cis-aks:3.1.2', 'cis-aks:3.1.3', 'cis-aks:3.1.4']);
  assert.equal(items[2]!.id, 'aks-azure-json-mode');
});

test('bad input: a k3s config.yaml that is not YAML is reported by name and the audit goes on with k3s\'s defaults', async () => {
  const dir = root(k3sRoot, 'default');
  writeFileSync(path.join(dir, 'etc/rancher/k3s/config.yaml'), 'secrets-encryption: [true\n');
  const facts = collectNodeFacts({ root: dir });
  assert.equal(facts.errors.length, 1);
  assert.equal(facts.errors[0]!.source, '/etc/rancher/k3s/config.yaml');
  assert.match(facts.errors[0]!.message, /^k3s config not used: /);
  const benchmark = benchmarkOf(facts);
  const result = await runNodeChecks(facts, benchmark.checks, { type: 'node', root: dir });
  // Without the file, secrets-encryption is off: k3s passes no --encryption-provider-config.
  assert.equal(result.checks.find((c) => c.id === 'apiserver-encryption-provider-config')!.status, 'warn');
  assert.equal(result.checks.find((c) => c.id === 'apiserver-profiling-disabled')!.status, 'pass');
});

test('EKS AL2: kubelet.service\'s continued ExecStart and the KUBELET_ARGS / KUBELET_EXTRA_ARGS drop-ins; an extra arg re-opening the read-only port fails 3.2.4', async () => {
  const result = await audit(root(() => eksAl2Root(), 'default'));
  const benchmark = result.target.benchmark as Record<string, unknown>;
  assert.equal(benchmark.name, 'cis-eks-1.8');
  assert.equal(benchmark.flavour, 'al2');
  assert.deepEqual(notPassing(result), { 'eks-kubelet-read-only-port-disabled': 'fail', ...EKS_GUIDANCE });
  assert.match(result.checks.find((c) => c.id === 'eks-kubelet-read-only-port-disabled')!.reason!, /readOnlyPort \(--read-only-port\) is "10255" \(flag\)/);
  assert.deepEqual(result.checks.find((c) => c.id === 'eks-kubelet-config-file-mode')!.evidence!.map((e) => e.subject), ['/etc/kubernetes/kubelet/kubelet-config.json']);
});

test('a k3s agent: the kubelet items apply, the control-plane items are skipped saying the servers run them', async () => {
  const result = await audit(root(() => k3sAgentRoot(), 'default'));
  const benchmark = result.target.benchmark as Record<string, unknown>;
  assert.equal(benchmark.name, 'k3s-cis-1.12');
  assert.equal(benchmark.role, 'agent');
  assert.match(result.checks.find((c) => c.id === 'apiserver-profiling-disabled')!.reason!, /a k3s agent runs no control plane/);
  assert.equal(result.checks.find((c) => c.id === 'kubelet-anonymous-auth-disabled')!.status, 'pass');
  assert.equal(result.checks.find((c) => c.id === 'kubelet-kubeconfig-mode')!.status, 'pass');
  assert.deepEqual(Object.entries(notPassing(result)).filter(([, s]) => s !== 'skip'), [
    ['kubelet-strong-tls-ciphers', 'warn'], ['kubelet-pod-pids-limit', 'warn'], ['kubelet-seccomp-default', 'warn'],
  ]);
});

test('Bottlerocket: detected from os-release; the kubelet\'s rendered settings and kubeconfig are judged without a unit or a process', async () => {
  const result = await audit(root(() => bottlerocketRoot(), 'default'));
  const benchmark = result.target.benchmark as Record<string, unknown>;
  assert.equal(benchmark.name, 'cis-eks-1.8');
  assert.equal(benchmark.flavour, 'bottlerocket');
  assert.deepEqual(notPassing(result), EKS_GUIDANCE);
  assert.deepEqual(result.checks.find((c) => c.id === 'eks-kubelet-kubeconfig-mode')!.evidence!.map((e) => e.subject), ['/etc/kubernetes/kubelet/kubeconfig']);
  assert.deepEqual(result.checks.find((c) => c.id === 'eks-kubelet-config-file-owner')!.evidence!.map((e) => e.subject), ['/etc/kubernetes/kubelet/config']);
});
