// CIS 4.1: worker node files, as rows of the file template.

import { instancesOf } from '../../inventory/node-facts.js';
import type { FileItem } from '../templates/file-item.js';
import { flagFile, KUBEADM_DEFAULT } from './paths.js';

const KUBELET_DROP_INS = [
  { path: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', how: 'kubeadm kubelet drop-in' },
  { path: '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', how: 'kubeadm kubelet drop-in (pkgs.k8s.io packages)' },
];

type Files = Pick<FileItem, 'targets' | 'appliesTo' | 'rationale'> & { what: string; short: string; automated: boolean; max: number; modeCis: string; ownerCis: string; severity: FileItem['severity'] };

function pair(f: Files): FileItem[] {
  const common = { automated: f.automated, category: 'node' as const, severity: f.severity, rationale: f.rationale, appliesTo: f.appliesTo, targets: f.targets };
  const mode = f.max.toString(8);
  return [
    { ...common, id: `${f.short}-mode`, cis: f.modeCis, title: `The ${f.what} is mode ${mode} or stricter`, test: { maxMode: f.max }, remediation: `chmod ${mode} the ${f.what}.` },
    { ...common, id: `${f.short}-owner`, cis: f.ownerCis, title: `The ${f.what} is owned by root:root`, test: { owner: 'root:root' }, remediation: `chown root:root the ${f.what}.` },
  ];
}

export const WORKER_FILE_ITEMS: FileItem[] = [
  ...pair({
    what: 'kubelet systemd drop-in', short: 'kubelet-service-file', automated: true, max: 0o600, modeCis: '4.1.1', ownerCis: '4.1.2', severity: 'medium',
    rationale: 'The drop-in sets the kubelet\'s command line; whoever can write it controls the kubelet.',
    appliesTo: '10-kubeadm.conf under /etc/systemd/system/kubelet.service.d or /usr/lib/systemd/system/kubelet.service.d',
    targets: (facts) => ({ files: facts.platform?.paths.kubeletService ?? KUBELET_DROP_INS }),
  }),
  ...pair({
    what: 'kube-proxy kubeconfig', short: 'kube-proxy-kubeconfig', automated: false, max: 0o600, modeCis: '4.1.3', ownerCis: '4.1.4', severity: 'medium',
    rationale: 'kube-proxy\'s kubeconfig holds its credentials. kubeadm keeps it in a ConfigMap mounted into the pod, so it is often not on the host.',
    appliesTo: 'the file named by kube-proxy --kubeconfig (or clientConnection.kubeconfig), else /etc/kubernetes/proxy.conf',
    targets: (facts) => ({ files: flagFile(facts, 'kube-proxy', 'kubeconfig', [facts.platform?.paths.kubeProxyKubeconfig?.path ?? '/etc/kubernetes/proxy.conf']) }),
  }),
  ...pair({
    what: 'kubelet kubeconfig', short: 'kubelet-kubeconfig', automated: true, max: 0o600, modeCis: '4.1.5', ownerCis: '4.1.6', severity: 'high',
    rationale: 'The kubelet kubeconfig holds the node\'s credentials to the API server.',
    appliesTo: 'the file named by kubelet --kubeconfig, else /etc/kubernetes/kubelet.conf',
    targets: (facts) => ({ files: flagFile(facts, 'kubelet', 'kubeconfig', ['/etc/kubernetes/kubelet.conf']) }),
  }),
  ...pair({
    what: 'kubelet client CA file', short: 'kubelet-client-ca', automated: false, max: 0o644, modeCis: '4.1.7', ownerCis: '4.1.8', severity: 'medium',
    rationale: 'The client CA decides whose certificates the kubelet accepts; a writable CA file lets anyone add their own.',
    appliesTo: 'the file named by kubelet --client-ca-file or authentication.x509.clientCAFile, else /etc/kubernetes/pki/ca.crt',
    targets: (facts) => ({ files: flagFile(facts, 'kubelet', 'client-ca-file', ['/etc/kubernetes/pki/ca.crt']) }),
  }),
  ...pair({
    what: 'kubelet config file', short: 'kubelet-config-file', automated: true, max: 0o600, modeCis: '4.1.9', ownerCis: '4.1.10', severity: 'medium',
    rationale: 'The KubeletConfiguration sets the kubelet\'s authentication, authorization and ports.',
    appliesTo: 'the file named by kubelet --config, else /var/lib/kubelet/config.yaml',
    targets: (facts) => {
      const files = facts.platform?.paths.kubeletConfigFiles;
      if (files?.length) return { files };
      const config = instancesOf(facts, 'kubelet')[0]?.config;
      return { files: [config ? { path: config.path, how: `kubelet config file (${config.how})` } : { path: '/var/lib/kubelet/config.yaml', how: KUBEADM_DEFAULT }] };
    },
  }),
];
