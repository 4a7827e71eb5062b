// The distribution steps of a node audit: detect what runs here, let that distribution add the
// components /proc does not show (k3s's embedded ones, a kubelet known from its unit), and at
// the end stat every file its benchmark names, so checks read stats from the facts.

import { ETCD_SETTINGS, observeKubelet, observeReplacing } from '../../analysis/flags/settings.js';
import { detectDistribution, emptyPlatform } from './detect-platform.js';
import { instancesOf, type NodeFacts } from './facts.js';
import type { FileStat, Host } from './host.js';
import { collectManagedKubelet } from './managed-kubelet.js';
import { platformPathList, type PlatformFacts, type PlatformPath } from '../../inventory/node-platform.js';
import { collectK3s, collectRke2 } from './rancher.js';

/** Detects the distribution and adds its components; returns the static pod folder it uses, if any. */
export function collectPlatform(facts: NodeFacts, host: Host, processes: readonly { pid: number; argv: string[] }[], benchmark?: string): string | undefined {
  const platform = emptyPlatform(detectDistribution(host, processes), benchmark);
  facts.platform = platform;
  switch (platform.distribution) {
    case 'k3s':
      collectK3s(facts, host, platform, processes);
      return undefined;
    case 'rke2':
      return collectRke2(facts, host, platform, processes);
    case 'eks':
    case 'gke':
    case 'aks':
      collectManagedKubelet(facts, host, platform);
      return undefined;
    default:
      return undefined;
  }
}

/** Fills the kubelet paths from what the kubelet says, then stats every path the platform names. */
export function finishPlatform(facts: NodeFacts, host: Host): void {
  const platform = facts.platform;
  if (!platform) return;
  const kubelet = instancesOf(facts, 'kubelet')[0];
  if (kubelet) {
    const kubeconfig = observeKubelet(kubelet, 'kubeconfig');
    if (!platform.paths.kubeletKubeconfig && kubeconfig.set && kubeconfig.value) platform.paths.kubeletKubeconfig = { path: kubeconfig.value, how: `kubelet --kubeconfig (${kubeconfig.source})` };
    const ca = observeKubelet(kubelet, 'client-ca-file');
    if (!platform.paths.kubeletClientCa && ca.set && ca.value) platform.paths.kubeletClientCa = { path: ca.value, how: `kubelet client CA (${ca.source})` };
    const config = kubelet.config;
    if (!platform.paths.kubeletConfigFiles && config && !config.error) {
      const files: PlatformPath[] = [];
      if (config.how !== '--config-dir drop-ins') files.push({ path: config.path, how: `kubelet config file (${config.how})` });
      for (const d of config.dropIns ?? []) files.push({ path: d.path, how: 'kubelet --config-dir drop-in' });
      platform.paths.kubeletConfigFiles = files;
    }
  }
  statPlatform(platform, host);
  statNamedFiles(facts, platform, host);
}

/** Files the kubeadm layout of the CIS items names when nothing says otherwise (paths.ts, file-items.ts). */
const KUBEADM_FILES = [
  '/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf', '/etc/kubernetes/scheduler.conf', '/etc/kubernetes/controller-manager.conf',
  '/etc/kubernetes/kubelet.conf', '/etc/kubernetes/proxy.conf', '/etc/kubernetes/pki/ca.crt', '/var/lib/kubelet/config.yaml',
  '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf',
];
const KUBEADM_FOLDERS = ['/etc/kubernetes/pki', '/etc/cni/net.d', '/var/lib/cni/networks', '/var/lib/etcd'];

/**
 * Stats, up front, every file the CIS file items may name: the kubeadm defaults, every absolute
 * path a component's flags or config file give (kubeconfigs, certificates, data dirs), and the
 * static pod folder — so the file items read stats from the facts rather than the disk.
 */
function statNamedFiles(facts: NodeFacts, platform: PlatformFacts, host: Host): void {
  const files = new Set(KUBEADM_FILES);
  const folders = new Set(KUBEADM_FOLDERS);
  if (facts.staticPodDir) {
    folders.add(facts.staticPodDir.path);
    for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) files.add(`${facts.staticPodDir.path.replace(/\/$/, '')}/${c}.yaml`);
  }
  for (const list of facts.components.values()) {
    for (const c of list) {
      for (const occurrences of c.cmd.flags.values()) for (const o of occurrences) if (o.value?.startsWith('/')) files.add(o.value);
      for (const v of configPaths(c.config?.value)) files.add(v);
      if (c.origin.kind === 'manifest') files.add(c.origin.file);
    }
  }
  for (const f of files) if (!platform.files.has(f)) platform.files.set(f, host.stat(f));
  // Folders the items list: the kubelet's --cni-conf-dir (CIS 1.1.9/1.1.10) and etcd's data dir
  // (flag, ETCD_DATA_DIR or its config file; CIS 1.1.11/1.1.12).
  for (const c of instancesOf(facts, 'kubelet')) {
    const cni = c.cmd.flags.get('cni-conf-dir')?.at(-1)?.value;
    if (cni?.startsWith('/')) folders.add(cni.replace(/\/$/, ''));
  }
  for (const c of instancesOf(facts, 'etcd')) {
    const dataDir = observeReplacing(c, ETCD_SETTINGS['data-dir']!);
    if (dataDir.value?.startsWith('/')) folders.add(dataDir.value.replace(/\/$/, ''));
  }
  statFolders(platform, host, [...folders].map((path) => ({ path, how: '' })));
}

/** Absolute paths among a config file's string values (etcd's data-dir, a kubelet's clientCAFile…). */
function configPaths(value: unknown, depth = 0): string[] {
  if (depth > 4 || value === null || typeof value !== 'object') return typeof value === 'string' && value.startsWith('/') ? [value] : [];
  return Object.values(value as Record<string, unknown>).flatMap((v) => configPaths(v, depth + 1));
}

function statPlatform(platform: PlatformFacts, host: Host): void {
  const { files, folders } = platformPathList(platform.paths);
  for (const f of files) if (!platform.files.has(f.path)) platform.files.set(f.path, host.stat(f.path));
  statFolders(platform, host, folders);
}

function statFolders(platform: PlatformFacts, host: Host, folders: PlatformPath[]): void {
  for (const dir of folders) {
    if (platform.folders.has(dir.path)) continue;
    const self = host.stat(dir.path);
    if (!self.exists) {
      platform.files.set(dir.path, self);
      continue;
    }
    const listing = host.list(dir.path, true);
    const entries: FileStat[] = [self, ...listing.entries.map((e) => host.stat(e))];
    platform.folders.set(dir.path, { entries, errors: listing.errors });
  }
}
