// Host roots for node tests: real folders with real files, modes and owners (tests run as
// root and chown freely). A kubeadm-like control-plane node or a worker node, in three
// variants: `kubeadm` (the modes and owners a default kubeadm install leaves), `hardened`
// (every CIS item satisfied), `weak` (every file too open and owned by a user).

import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../helpers.js';

export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'node', 'kubeadm');
export const ALICE = 1000;
export const ETCD_UID = 998;

export type Variant = 'kubeadm' | 'hardened' | 'weak';
export type NodeRole = 'control-plane' | 'worker';

interface Owner { uid: number; gid: number }
const ROOT: Owner = { uid: 0, gid: 0 };
const USER: Owner = { uid: ALICE, gid: ALICE };

export const HARDENED_APISERVER_FLAGS = [
  '--anonymous-auth=false', '--profiling=false', '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt',
  '--audit-log-path=/var/log/kubernetes/audit.log', '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100',
  '--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml',
  '--service-account-extend-token-expiration=false', '--request-timeout=60s',
  // A second occurrence appends to kubeadm's NodeRestriction (pflag StringSlice).
  '--enable-admission-plugins=EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs',
  '--admission-control-config-file=/etc/kubernetes/admission.yaml',
  '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
];

export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  resources:
  - group: ""
    resources: [secrets, configmaps]
  - group: authentication.k8s.io
    resources: [tokenreviews]
- level: RequestResponse
  resources:
  - group: ""
    resources: [pods, pods/exec, pods/portforward, pods/proxy, services/proxy]
  - group: apps
    resources: [deployments]
- level: Metadata
`;

export const ENCRYPTION_CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
  - identity: {}
`;

/** EventRateLimit needs limits: the API server does not start without them. */
export const ADMISSION_CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: EventRateLimit
  configuration:
    apiVersion: eventratelimit.admission.k8s.io/v1alpha1
    kind: Configuration
    limits:
    - type: Namespace
      qps: 50
      burst: 100
`;

const HARDENED_KUBELET_EXTRA = `readOnlyPort: 0
podPidsLimit: 4096
seccompDefault: true
serverTLSBootstrap: true
tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
`;

/** Adds flags after the program name of a static pod manifest's command. */
export function withFlags(manifest: string, program: string, flags: string[]): string {
  return manifest.replace(`    - ${program}\n`, `    - ${program}\n${flags.map((f) => `    - ${f}\n`).join('')}`);
}

/** A host filesystem in a temporary folder: files and folders with the modes and owners given. */
export class HostRoot {
  readonly dir: string;
  constructor(name: string) {
    this.dir = mkdtempSync(path.join(tmpdir(), `kubeharden-${name}-`));
  }

  file(hostPath: string, text: string, mode: number, owner: Owner = ROOT): this {
    const real = path.join(this.dir, hostPath);
    mkdirSync(path.dirname(real), { recursive: true });
    writeFileSync(real, text);
    chmodSync(real, mode);
    chownSync(real, owner.uid, owner.gid);
    return this;
  }

  folder(hostPath: string, mode: number, owner: Owner = ROOT): this {
    const real = path.join(this.dir, hostPath);
    mkdirSync(real, { recursive: true });
    chmodSync(real, mode);
    chownSync(real, owner.uid, owner.gid);
    return this;
  }
}

export class RootBuilder extends HostRoot {
  constructor(private readonly variant: Variant) {
    super(`node-${variant}`);
  }

  /** The mode and owner for a file that should be `strict` (a kubeadm default may be looser). */
  pick(hardened: number, kubeadm: number, weak: number): [number, Owner] {
    if (this.variant === 'weak') return [weak, USER];
    return [this.variant === 'hardened' ? hardened : kubeadm, ROOT];
  }
}

export function buildRoot(role: NodeRole, variant: Variant): string {
  const b = new RootBuilder(variant);
  const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
  b.file('/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\netcd:x:998:998::/var/lib/etcd:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\n', 0o644);
  b.file('/etc/group', 'root:x:0:\netcd:x:998:\nalice:x:1000:\n', 0o644);
  const hardened = variant === 'hardened';

  // Files both roles have.
  b.file('/etc/kubernetes/kubelet.conf', 'apiVersion: v1\nkind: Config\n', ...b.pick(0o600, 0o600, 0o644));
  b.folder('/etc/kubernetes/pki', ...b.pick(0o755, 0o755, 0o777));
  b.file('/etc/kubernetes/pki/ca.crt', 'CLUSTER CA\n', ...b.pick(0o644, 0o644, 0o666));
  const kubeletConfig = fixture('kubelet-config.yaml') + (hardened ? HARDENED_KUBELET_EXTRA : '');
  b.file('/var/lib/kubelet/config.yaml', hardened ? kubeletConfig.replace('streamingConnectionIdleTimeout: 0s', 'streamingConnectionIdleTimeout: 5m') : kubeletConfig, ...b.pick(0o600, 0o644, 0o666));
  b.file('/var/lib/kubelet/kubeadm-flags.env', fixture('kubeadm-flags.env'), 0o644);
  b.file('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', fixture('10-kubeadm.conf'), ...b.pick(0o600, 0o644, 0o666));
  b.file('/etc/cni/net.d/10-flannel.conflist', '{"name": "cbr0", "cniVersion": "1.0.0", "plugins": []}\n', ...b.pick(0o600, 0o644, 0o666));
  b.file('/etc/kubernetes/proxy.conf', 'apiVersion: v1\nkind: Config\n', ...b.pick(0o600, 0o600, 0o644));
  if (role === 'worker') {
    b.folder('/etc/kubernetes/manifests', 0o755);
    return b.dir;
  }

  // Control plane.
  b.folder('/etc/kubernetes/manifests', 0o755);
  for (const name of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']) {
    let text = fixture(`manifests/${name}.yaml`);
    if (hardened && name === 'kube-apiserver') text = withFlags(text, name, HARDENED_APISERVER_FLAGS);
    if (hardened && name === 'kube-controller-manager') text = withFlags(text, name, ['--profiling=false', '--terminated-pod-gc-threshold=10']);
    if (hardened && name === 'kube-scheduler') text = withFlags(text, name, ['--profiling=false']);
    b.file(`/etc/kubernetes/manifests/${name}.yaml`, text, ...b.pick(0o600, 0o600, 0o644));
  }
  for (const conf of ['admin', 'super-admin', 'scheduler', 'controller-manager']) {
    b.file(`/etc/kubernetes/${conf}.conf`, 'apiVersion: v1\nkind: Config\n', ...b.pick(0o600, 0o600, 0o644));
  }
  for (const [file, key] of [['ca', true], ['apiserver', true], ['sa', true], ['etcd/ca', true], ['etcd/server', true]] as const) {
    if (file.startsWith('etcd/')) b.folder('/etc/kubernetes/pki/etcd', ...b.pick(0o755, 0o755, 0o777));
    if (file !== 'ca') b.file(`/etc/kubernetes/pki/${file}.crt`, `${file} certificate\n`, ...b.pick(0o644, 0o644, 0o666));
    if (key) b.file(`/etc/kubernetes/pki/${file}.key`, `${file} key\n`, ...b.pick(0o600, 0o600, 0o644));
  }
  // kubeadm runs etcd as root; the benchmark wants etcd:etcd.
  if (hardened) b.folder('/var/lib/etcd', 0o700, { uid: ETCD_UID, gid: ETCD_UID });
  else b.folder('/var/lib/etcd', ...b.pick(0o700, 0o700, 0o755));
  b.folder('/var/lib/etcd/member', 0o700);
  if (hardened) {
    b.file('/etc/kubernetes/audit-policy.yaml', AUDIT_POLICY, 0o600);
    b.file('/etc/kubernetes/admission.yaml', ADMISSION_CONFIG, 0o600);
    b.file('/etc/kubernetes/enc/encryption.yaml', ENCRYPTION_CONFIG, 0o600);
  }
  return b.dir;
}

/** Copies one fixture file into a root, for tests that start from a partial root. */
export function copyFixture(root: string, name: string, hostPath: string): void {
  mkdirSync(path.dirname(path.join(root, hostPath)), { recursive: true });
  copyFileSync(path.join(FIXTURES, name), path.join(root, hostPath));
}
