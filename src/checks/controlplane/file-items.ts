// CIS 1.1: control-plane node files, as rows of the file template.

import type { FileItem } from '../templates/file-item.js';
import { componentManifest, flagFile, manifestsDir } from '../node/paths.js';

type Pair = Omit<FileItem, 'id' | 'cis' | 'title' | 'test' | 'severity'>;

/** The mode item and the owner item of the same files. */
function modeAndOwner(base: Pair, mode: { id: string; cis: string; title: string; max: number }, owner: { id: string; cis: string; title: string }): FileItem[] {
  return [
    { ...base, id: mode.id, cis: mode.cis, title: mode.title, severity: 'medium', test: { maxMode: mode.max } },
    { ...base, id: owner.id, cis: owner.cis, title: owner.title, severity: 'medium', test: { owner: 'root:root' } },
  ];
}

const manifestPair = (component: 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler', short: string, modeCis: string, ownerCis: string) =>
  modeAndOwner(
    {
      automated: true, category: 'control-plane',
      rationale: `The ${component} static pod manifest sets every flag of the component; whoever can write it controls the component.`,
      remediation: `chmod 600 and chown root:root the ${component} manifest (kubeadm: /etc/kubernetes/manifests/${component}.yaml).`,
      appliesTo: `the ${component} static pod manifest`,
      targets: (facts) => ({ files: [componentManifest(facts, component)] }),
    },
    { id: `${short}-manifest-mode`, cis: modeCis, title: `The ${component} manifest is mode 600 or stricter`, max: 0o600 },
    { id: `${short}-manifest-owner`, cis: ownerCis, title: `The ${component} manifest is owned by root:root` },
  );

const CNI_FOLDERS = (facts: Parameters<FileItem['targets']>[0]) => {
  const platform = facts.platform?.paths.cniDirs;
  if (platform) return { folders: platform.map((d) => ({ dir: d.path, how: d.how, recursive: true })) };
  const confDir = flagFile(facts, 'kubelet', 'cni-conf-dir', ['/etc/cni/net.d'])[0]!;
  return {
    folders: [
      { dir: confDir.path, how: confDir.how, recursive: true },
      { dir: '/var/lib/cni/networks', how: 'CNI IPAM state (kube-bench)', recursive: true },
    ],
  };
};

const ETCD_DATA_DIR = (facts: Parameters<FileItem['targets']>[0]) => {
  const fromEtcd = flagFile(facts, 'etcd', 'data-dir', ['/var/lib/etcd'])[0]!;
  return { folders: [{ dir: fromEtcd.path.replace(/\/$/, ''), how: fromEtcd.how, recursive: false, includeSelf: true, select: () => false }] };
};

const ADMIN_CONFS = { files: [
  { path: '/etc/kubernetes/admin.conf', how: 'kubeadm admin kubeconfig' },
  { path: '/etc/kubernetes/super-admin.conf', how: 'kubeadm super-admin kubeconfig (1.29+)' },
] };

const PKI = '/etc/kubernetes/pki';
/** The control plane's TLS folder: the distribution's (k3s, RKE2 server/tls), else kubeadm's. */
const pki = (facts: Parameters<FileItem['targets']>[0]) => facts.platform?.paths.pkiDir ?? { path: PKI, how: 'kubeadm PKI folder' };

export const CONTROL_PLANE_FILE_ITEMS: FileItem[] = [
  ...manifestPair('kube-apiserver', 'apiserver', '1.1.1', '1.1.2'),
  ...manifestPair('kube-controller-manager', 'controller-manager', '1.1.3', '1.1.4'),
  ...manifestPair('kube-scheduler', 'scheduler', '1.1.5', '1.1.6'),
  ...modeAndOwner(
    {
      automated: true, category: 'etcd',
      rationale: 'The etcd static pod manifest sets etcd\'s TLS and data settings; whoever can write it controls the cluster\'s datastore.',
      remediation: 'chmod 600 and chown root:root the etcd manifest (kube-bench tests every file in the manifest folder whose name contains etcd).',
      appliesTo: 'files in the static pod folder whose name contains etcd',
      targets: (facts) => {
        const dir = manifestsDir(facts);
        return { folders: [{ dir: dir.path, how: `static pod folder (${dir.how})`, recursive: false, select: (n: string) => n.includes('etcd') }] };
      },
    },
    { id: 'etcd-manifest-mode', cis: '1.1.7', title: 'The etcd manifest is mode 600 or stricter', max: 0o600 },
    { id: 'etcd-manifest-owner', cis: '1.1.8', title: 'The etcd manifest is owned by root:root' },
  ),
  ...modeAndOwner(
    {
      automated: false, category: 'network',
      rationale: 'CNI configuration decides how every pod is networked; writable by others it can be used to intercept pod traffic.',
      remediation: 'chmod 600 and chown root:root the files under /etc/cni/net.d (or the kubelet\'s --cni-conf-dir) and /var/lib/cni/networks.',
      appliesTo: 'files under the CNI config folder (default /etc/cni/net.d) and /var/lib/cni/networks',
      targets: CNI_FOLDERS,
    },
    { id: 'cni-files-mode', cis: '1.1.9', title: 'CNI config files are mode 600 or stricter', max: 0o600 },
    { id: 'cni-files-owner', cis: '1.1.10', title: 'CNI config files are owned by root:root' },
  ),
  {
    id: 'etcd-data-dir-mode', cis: '1.1.11', automated: true, severity: 'high', category: 'etcd',
    title: 'The etcd data directory is mode 700 or stricter',
    rationale: 'The etcd data directory holds every object of the cluster, Secrets included.',
    remediation: 'chmod 700 the etcd data directory (etcd --data-dir, kubeadm /var/lib/etcd).',
    appliesTo: 'the directory named by etcd --data-dir (ETCD_DATA_DIR), else /var/lib/etcd',
    targets: ETCD_DATA_DIR, test: { maxMode: 0o700 },
  },
  {
    id: 'etcd-data-dir-owner', cis: '1.1.12', automated: true, severity: 'medium', category: 'etcd',
    title: 'The etcd data directory is owned by etcd:etcd',
    rationale: 'The benchmark wants etcd to run as its own user owning its data. kubeadm runs etcd as root and leaves root:root, which fails by the letter of the benchmark.',
    remediation: 'Run etcd as a dedicated etcd user and chown etcd:etcd its data directory (kubeadm: see the etcd securityContext options of ClusterConfiguration).',
    appliesTo: 'the directory named by etcd --data-dir (ETCD_DATA_DIR), else /var/lib/etcd',
    targets: ETCD_DATA_DIR, test: { owner: 'etcd:etcd' },
  },
  ...modeAndOwner(
    {
      automated: true, category: 'control-plane',
      rationale: 'admin.conf and super-admin.conf hold cluster-admin credentials.',
      remediation: 'chmod 600 and chown root:root /etc/kubernetes/admin.conf and /etc/kubernetes/super-admin.conf.',
      appliesTo: '/etc/kubernetes/admin.conf and /etc/kubernetes/super-admin.conf',
      targets: (facts) => (facts.platform?.paths.adminKubeconfigs ? { files: facts.platform.paths.adminKubeconfigs } : ADMIN_CONFS),
    },
    { id: 'admin-kubeconfig-mode', cis: '1.1.13', title: 'The admin kubeconfigs are mode 600 or stricter', max: 0o600 },
    { id: 'admin-kubeconfig-owner', cis: '1.1.14', title: 'The admin kubeconfigs are owned by root:root' },
  ),
  ...modeAndOwner(
    {
      automated: true, category: 'control-plane',
      rationale: 'The scheduler kubeconfig holds the scheduler\'s credentials.',
      remediation: 'chmod 600 and chown root:root the scheduler kubeconfig (kubeadm /etc/kubernetes/scheduler.conf).',
      appliesTo: 'the file named by kube-scheduler --kubeconfig, else /etc/kubernetes/scheduler.conf',
      targets: (facts) => ({ files: flagFile(facts, 'kube-scheduler', 'kubeconfig', ['/etc/kubernetes/scheduler.conf']) }),
    },
    { id: 'scheduler-kubeconfig-mode', cis: '1.1.15', title: 'The scheduler kubeconfig is mode 600 or stricter', max: 0o600 },
    { id: 'scheduler-kubeconfig-owner', cis: '1.1.16', title: 'The scheduler kubeconfig is owned by root:root' },
  ),
  ...modeAndOwner(
    {
      automated: true, category: 'control-plane',
      rationale: 'The controller-manager kubeconfig holds credentials that can mint service-account tokens.',
      remediation: 'chmod 600 and chown root:root the controller-manager kubeconfig (kubeadm /etc/kubernetes/controller-manager.conf).',
      appliesTo: 'the file named by kube-controller-manager --kubeconfig, else /etc/kubernetes/controller-manager.conf',
      targets: (facts) => ({ files: flagFile(facts, 'kube-controller-manager', 'kubeconfig', ['/etc/kubernetes/controller-manager.conf']) }),
    },
    { id: 'controller-manager-kubeconfig-mode', cis: '1.1.17', title: 'The controller-manager kubeconfig is mode 600 or stricter', max: 0o600 },
    { id: 'controller-manager-kubeconfig-owner', cis: '1.1.18', title: 'The controller-manager kubeconfig is owned by root:root' },
  ),
  {
    id: 'pki-owner', cis: '1.1.19', automated: true, severity: 'high', category: 'control-plane',
    title: 'The PKI folder and everything in it is owned by root:root',
    rationale: 'The PKI folder holds the cluster CA keys; whoever owns them can mint any identity.',
    remediation: 'chown -R root:root /etc/kubernetes/pki/',
    appliesTo: '/etc/kubernetes/pki and every entry under it',
    targets: (facts) => ({ folders: [{ dir: pki(facts).path, how: pki(facts).how, recursive: true, includeSelf: true, directories: true }] }),
    test: { owner: 'root:root' },
  },
  {
    id: 'pki-certificate-mode', cis: '1.1.20', automated: false, severity: 'low', category: 'control-plane',
    title: 'PKI certificates are mode 644 or stricter',
    rationale: 'Certificates are public, but writable certificates can be replaced.',
    remediation: 'chmod -R 644 /etc/kubernetes/pki/*.crt',
    appliesTo: 'every *.crt under /etc/kubernetes/pki',
    targets: (facts) => ({ folders: [{ dir: pki(facts).path, how: pki(facts).how, recursive: true, select: (n: string) => n.endsWith('.crt') }] }),
    test: { maxMode: 0o644 },
  },
  {
    id: 'pki-key-mode', cis: '1.1.21', automated: false, severity: 'high', category: 'control-plane',
    title: 'PKI private keys are mode 600 or stricter',
    rationale: 'Private keys readable by others let them impersonate the CA or a component.',
    remediation: 'chmod -R 600 /etc/kubernetes/pki/*.key',
    appliesTo: 'every *.key under /etc/kubernetes/pki',
    targets: (facts) => ({ folders: [{ dir: pki(facts).path, how: pki(facts).how, recursive: true, select: (n: string) => n.endsWith('.key') }] }),
    test: { maxMode: 0o600 },
  },
];
