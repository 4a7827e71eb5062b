// The kubelet of a managed cloud node (EKS, GKE, AKS) when its process is not visible: its
// command line from the systemd unit the node image installs, and the files the provider's
// benchmark names.
//
// - EKS AL2023 (awslabs/amazon-eks-ami, nodeadm): kubelet.service runs `/usr/bin/kubelet
//   $NODEADM_KUBELET_ARGS` from EnvironmentFile=/etc/eks/kubelet/environment; nodeadm writes
//   --config=/etc/kubernetes/kubelet/config.json (0644), drop-ins in config.json.d, and
//   --kubeconfig=/var/lib/kubelet/kubeconfig (0644).
// - EKS AL2 (bootstrap.sh, AMIs up to 2025): kubelet.service passes --config
//   /etc/kubernetes/kubelet/kubelet-config.json and --kubeconfig /var/lib/kubelet/kubeconfig;
//   KUBELET_ARGS comes from kubelet.service.d/10-kubelet-args.conf.
// - Bottlerocket: settings are rendered to /etc/kubernetes/kubelet/config and
//   /etc/kubernetes/kubelet/kubeconfig (readable through the admin container's host root).
// - GKE (COS): /etc/default/kubelet's KUBELET_OPTS carries --config
//   /home/kubernetes/kubelet-config.yaml and --kubeconfig=/var/lib/kubelet/kubeconfig.
// - AKS (Azure/AgentBaker kubelet.service): --config /etc/default/kubeletconfig.json when the
//   kubelet config file is enabled, --kubeconfig /var/lib/kubelet/kubeconfig, $KUBELET_FLAGS
//   from /etc/default/kubelet; the cloud config is /etc/kubernetes/azure.json.

import { parseComponentCommandLine } from '../../analysis/flags/components.js';
import { addComponent, instancesOf, type NodeFacts } from '../../inventory/node-facts.js';
import type { Host } from './host.js';
import type { PlatformFacts } from '../../inventory/node-platform.js';
import { unitCommand } from './systemd-unit.js';

export function collectManagedKubelet(facts: NodeFacts, host: Host, platform: PlatformFacts): void {
  if (platform.distribution === 'aks') platform.paths.azureJson = { path: '/etc/kubernetes/azure.json', how: 'AKS cloud provider config' };
  if (instancesOf(facts, 'kubelet').length) return; // seen running: its own flags say where its files are
  const unit = unitCommand(host, 'kubelet.service');
  if (unit && unit.argv.length) {
    const argv = unit.argv[0]?.endsWith('kubelet') ? unit.argv.slice(1) : unit.argv;
    addComponent(facts, {
      component: 'kubelet',
      origin: { kind: 'config', file: unit.files[0] ?? 'kubelet.service' },
      cmd: parseComponentCommandLine(['kubelet', ...argv]),
      env: new Map(),
      where: `kubelet systemd unit ${unit.files.join(' + ')} (process not seen)`,
    });
    platform.paths.kubeletService = unit.files.map((path) => ({ path, how: 'kubelet systemd unit, drop-in or environment file' }));
    return;
  }
  if (platform.flavour === 'bottlerocket' && host.stat('/etc/kubernetes/kubelet/config').exists) {
    addComponent(facts, {
      component: 'kubelet',
      origin: { kind: 'config', file: '/etc/kubernetes/kubelet/config' },
      cmd: parseComponentCommandLine(['kubelet', '--config=/etc/kubernetes/kubelet/config', '--kubeconfig=/etc/kubernetes/kubelet/kubeconfig']),
      env: new Map(),
      where: 'Bottlerocket kubelet settings /etc/kubernetes/kubelet/config (process not seen)',
    });
  }
}
