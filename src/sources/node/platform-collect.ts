// The distribution steps of a node audit: detect what runs here, let that distribution add the
// components /proc does not show (k3s's embedded ones, a kubelet known from its unit), and at
// the end name the kubelet's files as the kubelet itself gives them.

import { observeKubelet } from '../../analysis/flags/settings.js';
import { detectDistribution, emptyPlatform } from './detect-platform.js';
import { instancesOf, KUBELET_DROP_INS_ONLY, type NodeFacts } from '../../inventory/node-facts.js';
import type { Host } from './host.js';
import { collectManagedKubelet } from './managed-kubelet.js';
import type { PlatformPath } from '../../inventory/node-platform.js';
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

/** Fills the kubelet paths from what the kubelet says. */
export function finishPlatform(facts: NodeFacts): void {
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
      if (config.how !== KUBELET_DROP_INS_ONLY) files.push({ path: config.path, how: `kubelet config file (${config.how})` });
      for (const d of config.dropIns ?? []) files.push({ path: d.path, how: 'kubelet --config-dir drop-in' });
      platform.paths.kubeletConfigFiles = files;
    }
  }
}
