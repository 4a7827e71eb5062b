// Host roots of non-kubeadm nodes, built with real files, modes and owners (tests run as root):
// an EKS AL2023 worker (nodeadm), a GKE COS worker, an AKS worker, a k3s server and an RKE2
// server. `default` is what the distribution leaves after install, as its own sources write it
// (paths, file modes, flags: see the notes by each); `hardened` follows the distribution's
// hardening guide; `weak` breaks what the benchmark tests, to prove the items fail.
//
// Where a file's mode on a real node was not verifiable from the distribution's source, the
// note says so.

import { ADMISSION_CONFIG, AUDIT_POLICY, ENCRYPTION_CONFIG, HostRoot } from './roots.js';

export type DistVariant = 'default' | 'hardened' | 'weak';
const ROOT = { uid: 0, gid: 0 };
const ALICE = { uid: 1000, gid: 1000 };

class Root extends HostRoot {
  constructor(name: string) {
    super(name);
    this.file('/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\netcd:x:998:998::/var/lib/etcd:/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\n', 0o644);
    this.file('/etc/group', 'root:x:0:\netcd:x:998:\nalice:x:1000:\n', 0o644);
  }
}

const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';

// ---------------------------------------------------------------------------------------------
// EKS AL2023 (awslabs/amazon-eks-ami nodeadm: internal/kubelet/config.go writes config.json 0644,
// kubeconfig.go /var/lib/kubelet/kubeconfig 0644, environment.go /etc/eks/kubelet/environment;
// templates/al2023/runtime/rootfs/etc/systemd/system/kubelet.service). The config below is the
// one nodeadm's e2e case kubelet-config-dir expects, trimmed to the fields that matter here.

export const EKS_KUBELET_ARGS = [
  '--node-ip=10.0.3.7', '--cloud-provider=external', '--hostname-override=ip-10-0-3-7.ec2.internal',
  '--config=/etc/kubernetes/kubelet/config.json', '--kubeconfig=/var/lib/kubelet/kubeconfig',
  '--image-credential-provider-bin-dir=/etc/eks/image-credential-provider', '--image-credential-provider-config=/etc/eks/image-credential-provider/config.json',
  '--node-labels=eks.amazonaws.com/nodegroup=ng-1', '--runtime-cgroups=/runtime.slice/containerd.service',
];

const EKS_CONFIG = {
  kind: 'KubeletConfiguration', apiVersion: 'kubelet.config.k8s.io/v1beta1', address: '0.0.0.0',
  authentication: { anonymous: { enabled: false }, webhook: { cacheTTL: '2m0s', enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } },
  authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
  clusterDomain: 'cluster.local', readOnlyPort: 0, cgroupDriver: 'systemd', featureGates: { RotateKubeletServerCertificate: true },
  clusterDNS: ['10.100.0.10'], containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock', protectKernelDefaults: true,
  serializeImagePulls: false, serverTLSBootstrap: true, maxPods: 29,
  tlsCipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
};

export function eksRoot(variant: DistVariant): string {
  const r = new Root(`eks-${variant}`);
  r.file('/etc/os-release', 'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nVERSION_ID="2023"\n', 0o644);
  r.file('/usr/bin/nodeadm', '#!/bin/sh\n', 0o755);
  r.file('/etc/systemd/system/kubelet.service', [
    '[Unit]', 'Description=Kubernetes Kubelet', '', '[Service]', 'Slice=runtime.slice', 'EnvironmentFile=/etc/eks/kubelet/environment',
    'ExecStartPre=/sbin/iptables -P FORWARD ACCEPT -w 5', 'ExecStart=/usr/bin/kubelet $NODEADM_KUBELET_ARGS', '', '[Install]', 'WantedBy=multi-user.target', '',
  ].join('\n'), 0o644);
  const args = variant === 'weak' ? [...EKS_KUBELET_ARGS, '--config-dir=/etc/kubernetes/kubelet/config.json.d'] : EKS_KUBELET_ARGS;
  r.file('/etc/eks/kubelet/environment', `NODEADM_KUBELET_ARGS=${args.join(' ')}\n`, 0o644);
  const config = variant === 'hardened' ? { ...EKS_CONFIG, streamingConnectionIdleTimeout: '5m0s', eventRecordQPS: 0, rotateCertificates: true } : EKS_CONFIG;
  r.file('/etc/kubernetes/kubelet/config.json', JSON.stringify(config, null, 4) + '\n', variant === 'hardened' ? 0o600 : 0o644);
  r.file('/var/lib/kubelet/kubeconfig', KUBECONFIG, variant === 'weak' ? 0o666 : variant === 'hardened' ? 0o600 : 0o644);
  r.file('/etc/kubernetes/pki/ca.crt', 'CA\n', 0o644);
  if (variant === 'weak') {
    // A user's NodeConfig kubelet.config lands in a drop-in nodeadm writes (40-nodeadm.conf).
    r.file('/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf', JSON.stringify({
      kind: 'KubeletConfiguration', apiVersion: 'kubelet.config.k8s.io/v1beta1',
      authentication: { anonymous: { enabled: true } }, readOnlyPort: 10255, streamingConnectionIdleTimeout: '0s',
    }) + '\n', 0o644, ALICE);
  }
  return r.dir;
}

// ---------------------------------------------------------------------------------------------
// GKE COS: /etc/default/kubelet holds KUBELET_OPTS (cluster/gce/gci/configure-helper.sh), the
// kubelet binary and config live under /home/kubernetes. Modes of kubelet-config.yaml and
// /var/lib/kubelet/kubeconfig on a real COS node: 0644 assumed (not verified from source).

export function gkeRoot(variant: DistVariant): string {
  const r = new Root(`gke-${variant}`);
  r.file('/etc/os-release', 'NAME="Container-Optimized OS"\nID=cos\nVERSION_ID=117\n', 0o644);
  r.file('/home/kubernetes/bin/kubelet', '#!/bin/sh\n', 0o755);
  r.file('/etc/default/kubelet', 'KUBELET_OPTS="--v=2 --cloud-provider=external --experimental-mounter-path=/home/kubernetes/containerized_mounter/mounter '
    + '--cert-dir=/var/lib/kubelet/pki/ --kubeconfig=/var/lib/kubelet/kubeconfig --bootstrap-kubeconfig=/var/lib/kubelet/bootstrap-kubeconfig '
    + '--max-pods=110 --volume-plugin-dir=/home/kubernetes/flexvolume --node-status-max-images=25 --container-runtime-endpoint=unix:///run/containerd/containerd.sock '
    + '--config /home/kubernetes/kubelet-config.yaml"\n', 0o644);
  r.file('/etc/systemd/system/kubelet.service', '[Unit]\nDescription=Kubernetes kubelet\n\n[Service]\nEnvironmentFile=/etc/default/kubelet\nExecStart=/home/kubernetes/bin/kubelet $KUBELET_OPTS\n', 0o644);
  r.file('/home/kubernetes/kubelet-config.yaml', [
    'apiVersion: kubelet.config.k8s.io/v1beta1', 'kind: KubeletConfiguration', 'authentication:', '  anonymous:', '    enabled: false',
    '  webhook:', '    enabled: true', '  x509:', '    clientCAFile: /etc/srv/kubernetes/pki/ca-certificates.crt', 'authorization:', '  mode: Webhook',
    'readOnlyPort: 10255', 'serverTLSBootstrap: true', 'featureGates:', '  RotateKubeletServerCertificate: true', '',
  ].join('\n'), variant === 'weak' ? 0o666 : variant === 'hardened' ? 0o600 : 0o644, variant === 'weak' ? ALICE : ROOT);
  r.file('/var/lib/kubelet/kubeconfig', KUBECONFIG, variant === 'hardened' ? 0o600 : 0o644);
  return r.dir;
}

// ---------------------------------------------------------------------------------------------
// AKS (Azure/AgentBaker parts/linux/cloud-init/artifacts/kubelet.service): ExecStart with
// `--config /etc/default/kubeletconfig.json` when the kubelet config file is enabled, else the
// settings as KUBELET_FLAGS in /etc/default/kubelet. The flag values below are the AKS
// defaults as Microsoft documents them for its CIS benchmark page (not verified from source).

const AKS_FLAGS = [
  '--address=0.0.0.0', '--anonymous-auth=false', '--authentication-token-webhook=true', '--authorization-mode=Webhook',
  '--client-ca-file=/etc/kubernetes/certs/ca.crt', '--cluster-dns=10.0.0.10', '--event-qps=0', '--feature-gates=RotateKubeletServerCertificate=true',
  '--read-only-port=0', '--rotate-certificates=true', '--streaming-connection-idle-timeout=4h', '--protect-kernel-defaults=true',
  '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
];

export function aksRoot(variant: DistVariant): string {
  const r = new Root(`aks-${variant}`);
  r.file('/etc/os-release', 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="22.04"\n', 0o644);
  const configFile = variant === 'hardened';
  r.file('/etc/systemd/system/kubelet.service', [
    '[Unit]', 'Description=Kubelet', 'ConditionPathExists=/usr/local/bin/kubelet', '', '[Service]', 'Restart=always', 'EnvironmentFile=/etc/default/kubelet',
    'ExecStart=/usr/local/bin/kubelet \\', '        --enable-server \\', '        --node-labels="${KUBELET_NODE_LABELS}" \\', '        --v=2 \\',
    ...(configFile ? ['        --config /etc/default/kubeletconfig.json \\'] : []),
    '        --kubeconfig /var/lib/kubelet/kubeconfig \\', '        --bootstrap-kubeconfig /var/lib/kubelet/bootstrap-kubeconfig \\',
    '        $KUBELET_FLAGS \\', '        $KUBELET_REGISTER_NODE $KUBELET_REGISTER_WITH_TAINTS', '',
  ].join('\n'), 0o644);
  const flags = variant === 'weak' ? [...AKS_FLAGS, '--anonymous-auth=true', '--event-qps=-1', '--rotate-certificates=false'] : configFile ? ['--cluster-dns=10.0.0.10'] : AKS_FLAGS;
  r.file('/etc/default/kubelet', `KUBELET_FLAGS=${flags.join(' ')}\nKUBELET_NODE_LABELS=kubernetes.azure.com/role=agent,agentpool=nodepool1\n`, 0o644);
  if (configFile) {
    r.file('/etc/default/kubeletconfig.json', JSON.stringify({
      kind: 'KubeletConfiguration', apiVersion: 'kubelet.config.k8s.io/v1beta1',
      authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/etc/kubernetes/certs/ca.crt' } },
      authorization: { mode: 'Webhook' }, readOnlyPort: 0, eventRecordQPS: 0, rotateCertificates: true, streamingConnectionIdleTimeout: '4h0m0s',
      featureGates: { RotateKubeletServerCertificate: true }, serverTLSBootstrap: true,
    }, null, 2) + '\n', 0o600);
  }
  r.file('/var/lib/kubelet/kubeconfig', KUBECONFIG, variant === 'weak' ? 0o664 : 0o600);
  r.file('/etc/kubernetes/azure.json', '{"cloud": "AzurePublicCloud", "useManagedIdentityExtension": true}\n', variant === 'weak' ? 0o666 : 0o600, variant === 'weak' ? ALICE : ROOT);
  r.file('/etc/kubernetes/certs/ca.crt', 'CA\n', 0o644);
  return r.dir;
}

// ---------------------------------------------------------------------------------------------
// k3s server with secrets encryption (secrets-encryption: true). Data dir files as k3s writes
// them: cred/*.kubeconfig and tls/*.key 0600, certificates 0644 (pkg/daemons/control/deps),
// the kubelet drop-in 00-k3s-defaults.conf 0600 (pkg/agent/config), the encryption config
// aescbc. `default` keeps state in SQLite through kine; `hardened` follows the k3s CIS
// hardening guide (docs.k3s.io/security/hardening-guide) with embedded etcd (cluster-init).

const K = '/var/lib/rancher/k3s';
export const K3S_HARDENED_CONFIG = `protect-kernel-defaults: true
secrets-encryption: true
cluster-init: true
kube-apiserver-arg:
  - "enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs"
  - "admission-control-config-file=${K}/server/admission.yaml"
  - "audit-policy-file=${K}/server/audit.yaml"
  - "audit-log-path=${K}/server/logs/audit.log"
  - "audit-log-maxage=30"
  - "audit-log-maxbackup=10"
  - "audit-log-maxsize=100"
  - "service-account-extend-token-expiration=false"
  - "tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
kube-controller-manager-arg:
  - "terminated-pod-gc-threshold=10"
`;

/** A drop-in of config.yaml.d: `kubelet-arg+` appends to the list of config.yaml. */
export const K3S_HARDENED_DROP_IN = `kubelet-arg+:
  - "pod-max-pids=4096"
  - "seccomp-default=true"
  - "tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
`;

const K3S_KUBELET_DEFAULTS = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 2m0s
    enabled: true
  x509:
    clientCAFile: ${K}/agent/client-ca.crt
authorization:
  mode: Webhook
clusterDNS:
- 10.43.0.10
clusterDomain: cluster.local
healthzBindAddress: 127.0.0.1
staticPodPath: ${K}/agent/pod-manifests
streamingConnectionIdleTimeout: 4h0m0s
tlsCertFile: ${K}/agent/serving-kubelet.crt
tlsPrivateKeyFile: ${K}/agent/serving-kubelet.key
`;

export function k3sRoot(variant: DistVariant): string {
  const r = new Root(`k3s-${variant}`);
  const hardened = variant === 'hardened';
  const weak = variant === 'weak';
  r.file('/usr/local/bin/k3s', '#!/bin/sh\n', 0o755);
  r.file('/etc/systemd/system/k3s.service', '[Unit]\nDescription=Lightweight Kubernetes\n\n[Service]\nType=notify\nEnvironmentFile=-/etc/systemd/system/k3s.service.env\nExecStart=/usr/local/bin/k3s \\\n    server \\\n\n', 0o644);
  r.file('/etc/rancher/k3s/config.yaml', hardened ? K3S_HARDENED_CONFIG : weak ? 'secrets-encryption: true\nkube-apiserver-arg:\n  - "anonymous-auth=true"\n  - "profiling=true"\n' : 'secrets-encryption: true\n', 0o600);
  if (hardened) r.file('/etc/rancher/k3s/config.yaml.d/50-kubelet.yaml', K3S_HARDENED_DROP_IN, 0o600);
  r.file('/etc/rancher/k3s/k3s.yaml', KUBECONFIG, weak ? 0o644 : 0o600);
  r.folder(`${K}/server`, 0o700).folder(`${K}/server/tls`, 0o700).folder(`${K}/server/cred`, 0o700);
  for (const name of ['server-ca', 'client-ca', 'request-header-ca', 'serving-kube-apiserver', 'client-kube-apiserver', 'client-auth-proxy']) {
    r.file(`${K}/server/tls/${name}.crt`, `${name}\n`, 0o644);
    r.file(`${K}/server/tls/${name}.key`, `${name} key\n`, weak && name === 'server-ca' ? 0o644 : 0o600);
  }
  r.file(`${K}/server/tls/service.key`, 'sa\n', 0o600).file(`${K}/server/tls/service.current.key`, 'sa\n', 0o600);
  for (const name of ['admin', 'controller', 'scheduler', 'supervisor']) r.file(`${K}/server/cred/${name}.kubeconfig`, KUBECONFIG, 0o600);
  // k3s's own secrets-encryption config: aescbc with one generated key, then identity.
  r.file(`${K}/server/cred/encryption-config.json`, JSON.stringify({
    kind: 'EncryptionConfiguration', apiVersion: 'apiserver.config.k8s.io/v1',
    resources: [{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'aescbckey', secret: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' }] } }, { identity: {} }] }],
  }) + '\n', 0o600);
  if (hardened) {
    r.folder(`${K}/server/db`, 0o700).folder(`${K}/server/db/etcd`, 0o700);
    r.folder(`${K}/server/tls/etcd`, 0o700);
    for (const name of ['server-ca', 'peer-ca', 'server-client', 'peer-server-client', 'client']) {
      r.file(`${K}/server/tls/etcd/${name}.crt`, `${name}\n`, 0o644).file(`${K}/server/tls/etcd/${name}.key`, `${name} key\n`, 0o600);
    }
    r.file(`${K}/server/db/etcd/config`, [
      'advertise-client-urls: https://10.0.0.4:2379', `data-dir: ${K}/server/db/etcd`, 'listen-client-urls: https://127.0.0.1:2379,https://10.0.0.4:2379',
      'client-transport-security:', `  cert-file: ${K}/server/tls/etcd/server-client.crt`, '  client-cert-auth: true', `  key-file: ${K}/server/tls/etcd/server-client.key`,
      `  trusted-ca-file: ${K}/server/tls/etcd/server-ca.crt`,
      'peer-transport-security:', `  cert-file: ${K}/server/tls/etcd/peer-server-client.crt`, '  client-cert-auth: true', `  key-file: ${K}/server/tls/etcd/peer-server-client.key`,
      `  trusted-ca-file: ${K}/server/tls/etcd/peer-ca.crt`, '',
    ].join('\n'), 0o600);
    r.file(`${K}/server/audit.yaml`, AUDIT_POLICY, 0o600);
    r.file(`${K}/server/admission.yaml`, ADMISSION_CONFIG, 0o600);
  } else {
    r.folder(`${K}/server/db`, 0o700).file(`${K}/server/db/state.db`, 'SQLite format 3\0', 0o600);
  }
  r.folder(`${K}/agent`, 0o755).folder(`${K}/agent/etc/kubelet.conf.d`, 0o700);
  r.file(`${K}/agent/etc/kubelet.conf.d/00-k3s-defaults.conf`, K3S_KUBELET_DEFAULTS, 0o600);
  r.file(`${K}/agent/kubelet.kubeconfig`, KUBECONFIG, 0o600).file(`${K}/agent/kubeproxy.kubeconfig`, KUBECONFIG, 0o600);
  r.file(`${K}/agent/client-ca.crt`, 'client ca\n', 0o644).file(`${K}/agent/serving-kubelet.crt`, 'serving\n', 0o644).file(`${K}/agent/serving-kubelet.key`, 'key\n', 0o600);
  // flannel's CNI config, written by the k3s agent (mode assumed 0600; not verified from source).
  r.file(`${K}/agent/etc/cni/net.d/10-flannel.conflist`, '{"name": "cbr0", "cniVersion": "1.0.0", "plugins": []}\n', 0o600);
  return r.dir;
}

// ---------------------------------------------------------------------------------------------
// RKE2 server: static pods in agent/pod-manifests with the arguments RKE2 gives them
// (k3s's defaults with RKE2's data dir; pkg/executor/staticpod adds the PSA admission config,
// and with `profile: cis` the audit flags and --service-account-extend-token-expiration=false).
// Secrets encryption is always on in RKE2 (pkg/rke2/rke2.go).

const R = '/var/lib/rancher/rke2';

function staticPod(name: string, program: string, args: string[]): string {
  return [
    'apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, '  namespace: kube-system', '  labels:', `    component: ${name}`, '    tier: control-plane',
    'spec:', '  hostNetwork: true', '  containers:', `  - name: ${name}`, `    image: index.docker.io/rancher/hardened-kubernetes:v1.33.4-rke2r1-build20250815`,
    '    command:', `    - ${program}`, '    args:', ...args.map((a) => `    - ${JSON.stringify(a)}`), '',
  ].join('\n');
}

/** The RKE2 CIS hardening guide's profile, with the kubelet settings of CIS 4.2.12–4.2.14. */
export const RKE2_HARDENED_CONFIG = `profile: cis
kubelet-arg:
  - "pod-max-pids=4096"
  - "seccomp-default=true"
  - "tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
`;

export function rke2Root(variant: DistVariant): string {
  const r = new Root(`rke2-${variant}`);
  const cis = variant === 'hardened';
  const tls = `${R}/server/tls`;
  r.file('/usr/local/lib/systemd/system/rke2-server.service', '[Unit]\nDescription=Rancher Kubernetes Engine v2 (server)\n\n[Service]\nExecStart=/usr/local/bin/rke2 server\n', 0o644);
  r.file('/etc/rancher/rke2/config.yaml', cis ? RKE2_HARDENED_CONFIG : 'write-kubeconfig-mode: "0600"\n', 0o600);
  r.file('/etc/rancher/rke2/rke2.yaml', KUBECONFIG, 0o600);
  r.file('/etc/rancher/rke2/rke2-pss.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: []\n', 0o600);
  if (cis) r.file('/etc/rancher/rke2/audit-policy.yaml', AUDIT_POLICY, 0o600);
  r.folder(`${R}/server/tls`, 0o700).folder(`${R}/server/cred`, 0o700).folder(`${R}/server/tls/etcd`, 0o700);
  for (const name of ['server-ca', 'client-ca', 'serving-kube-apiserver', 'client-kube-apiserver', 'etcd/server-ca', 'etcd/client', 'etcd/server-client', 'etcd/peer-ca', 'etcd/peer-server-client']) {
    r.file(`${tls}/${name}.crt`, `${name}\n`, 0o644).file(`${tls}/${name}.key`, `${name} key\n`, 0o600);
  }
  r.file(`${tls}/service.key`, 'sa\n', 0o600);
  for (const name of ['admin', 'controller', 'scheduler']) r.file(`${R}/server/cred/${name}.kubeconfig`, KUBECONFIG, 0o600);
  r.file(`${R}/server/cred/encryption-config.json`, ENCRYPTION_CONFIG.replace(/\n/g, '\n'), 0o600);
  const apiserver = [
    ...(cis ? [`--audit-policy-file=/etc/rancher/rke2/audit-policy.yaml`, '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100', `--audit-log-path=${R}/server/logs/audit.log`] : []),
    ...(cis ? ['--service-account-extend-token-expiration=false'] : []),
    '--admission-control-config-file=/etc/rancher/rke2/rke2-pss.yaml', '--allow-privileged=true', '--anonymous-auth=false', '--api-audiences=https://kubernetes.default.svc.cluster.local,rke2',
    '--authorization-mode=Node,RBAC', '--bind-address=0.0.0.0', `--cert-dir=${tls}/temporary-certs`, `--client-ca-file=${tls}/client-ca.crt`, '--enable-admission-plugins=NodeRestriction',
    `--encryption-provider-config=${R}/server/cred/encryption-config.json`, '--encryption-provider-config-automatic-reload=true',
    `--etcd-cafile=${tls}/etcd/server-ca.crt`, `--etcd-certfile=${tls}/etcd/client.crt`, `--etcd-keyfile=${tls}/etcd/client.key`, '--etcd-servers=https://127.0.0.1:2379',
    `--kubelet-certificate-authority=${tls}/server-ca.crt`, `--kubelet-client-certificate=${tls}/client-kube-apiserver.crt`, `--kubelet-client-key=${tls}/client-kube-apiserver.key`,
    '--profiling=false', '--secure-port=6443', `--service-account-key-file=${tls}/service.key`, `--service-account-signing-key-file=${tls}/service.key`,
    `--tls-cert-file=${tls}/serving-kube-apiserver.crt`, `--tls-private-key-file=${tls}/serving-kube-apiserver.key`,
    ...(cis ? ['--enable-admission-plugins=EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs', '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] : []),
  ];
  if (cis) {
    r.file('/etc/rancher/rke2/rke2-pss.yaml', ADMISSION_CONFIG, 0o600);
  }
  const M = `${R}/agent/pod-manifests`;
  r.folder(M, 0o750);
  r.file(`${M}/kube-apiserver.yaml`, staticPod('kube-apiserver', 'kube-apiserver', apiserver), 0o600);
  r.file(`${M}/kube-controller-manager.yaml`, staticPod('kube-controller-manager', 'kube-controller-manager', [
    '--allocate-node-cidrs=true', '--bind-address=127.0.0.1', `--kubeconfig=${R}/server/cred/controller.kubeconfig`, '--profiling=false',
    `--root-ca-file=${tls}/server-ca.crt`, '--secure-port=10257', `--service-account-private-key-file=${tls}/service.key`, '--use-service-account-credentials=true',
    ...(cis ? ['--terminated-pod-gc-threshold=1000'] : []),
  ]), 0o600);
  r.file(`${M}/kube-scheduler.yaml`, staticPod('kube-scheduler', 'kube-scheduler', [
    '--permit-port-sharing=true', '--bind-address=127.0.0.1', `--kubeconfig=${R}/server/cred/scheduler.kubeconfig`, '--profiling=false', '--secure-port=10259',
  ]), 0o600);
  r.file(`${M}/etcd.yaml`, staticPod('etcd', 'etcd', [`--config-file=${R}/server/db/etcd/config`]), 0o600);
  r.file(`${M}/kube-proxy.yaml`, staticPod('kube-proxy', 'kube-proxy', ['--cluster-cidr=10.42.0.0/16', '--conntrack-max-per-core=0', '--healthz-bind-address=127.0.0.1', `--kubeconfig=${R}/agent/kubeproxy.kubeconfig`, '--proxy-mode=iptables']).replace('tier: control-plane', 'tier: node'), 0o600);
  const etcdOwner = cis ? { uid: 998, gid: 998 } : ROOT;
  r.folder(`${R}/server/db`, 0o700).folder(`${R}/server/db/etcd`, 0o700, etcdOwner);
  r.file(`${R}/server/db/etcd/config`, [
    `data-dir: ${R}/server/db/etcd`, 'client-transport-security:', `  cert-file: ${tls}/etcd/server-client.crt`, '  client-cert-auth: true',
    `  key-file: ${tls}/etcd/server-client.key`, `  trusted-ca-file: ${tls}/etcd/server-ca.crt`, 'peer-transport-security:', `  cert-file: ${tls}/etcd/peer-server-client.crt`,
    '  client-cert-auth: true', `  key-file: ${tls}/etcd/peer-server-client.key`, `  trusted-ca-file: ${tls}/etcd/peer-ca.crt`, '',
  ].join('\n'), 0o600, etcdOwner);
  r.folder(`${R}/agent/etc/kubelet.conf.d`, 0o700);
  r.file(`${R}/agent/etc/kubelet.conf.d/00-rke2-defaults.conf`, K3S_KUBELET_DEFAULTS.replaceAll(K, R) + (cis ? 'protectKernelDefaults: true\n' : ''), 0o600);
  r.file(`${R}/agent/kubelet.kubeconfig`, KUBECONFIG, 0o600).file(`${R}/agent/kubeproxy.kubeconfig`, KUBECONFIG, 0o600);
  r.file(`${R}/agent/client-ca.crt`, 'client ca\n', 0o644);
  r.file('/etc/cni/net.d/10-canal.conflist', '{"name": "k8s-pod-network", "cniVersion": "1.0.0", "plugins": []}\n', 0o600);
  return r.dir;
}

// ---------------------------------------------------------------------------------------------
// EKS AL2 (amazon-eks-ami before AL2 support was removed, templates/al2/runtime): kubelet.service
// passes --config and --kubeconfig over continued lines; bootstrap.sh writes KUBELET_ARGS into
// kubelet.service.d/10-kubelet-args.conf; kubelet-config.json as the AMI ships it.

export function eksAl2Root(): string {
  const r = new Root('eks-al2');
  r.file('/etc/eks/bootstrap.sh', '#!/usr/bin/env bash\n', 0o755);
  r.file('/etc/systemd/system/kubelet.service', [
    '[Unit]', 'Description=Kubernetes Kubelet', '', '[Service]', 'ExecStartPre=/sbin/iptables -P FORWARD ACCEPT -w 5', 'ExecStart=/usr/bin/kubelet \\',
    '    --config /etc/kubernetes/kubelet/kubelet-config.json \\', '    --kubeconfig /var/lib/kubelet/kubeconfig \\', '    --container-runtime-endpoint unix:///run/containerd/containerd.sock \\',
    '    $KUBELET_ARGS \\', '    $KUBELET_EXTRA_ARGS', '', 'Restart=always', '',
  ].join('\n'), 0o644);
  r.file('/etc/systemd/system/kubelet.service.d/10-kubelet-args.conf', "[Service]\nEnvironment='KUBELET_ARGS=--node-ip=10.0.1.9 --v=2 --hostname-override=ip-10-0-1-9.ec2.internal --cloud-provider=external'\n", 0o644);
  r.file('/etc/systemd/system/kubelet.service.d/30-kubelet-extra-args.conf', "[Service]\nEnvironment='KUBELET_EXTRA_ARGS=--read-only-port=10255'\n", 0o644);
  r.file('/etc/kubernetes/kubelet/kubelet-config.json', JSON.stringify({ ...EKS_CONFIG, cgroupDriver: 'cgroupfs' }, null, 2) + '\n', 0o644);
  r.file('/var/lib/kubelet/kubeconfig', KUBECONFIG, 0o644);
  return r.dir;
}

/** A k3s agent: the kubelet and kube-proxy only; the server's address and token in config.yaml. */
export function k3sAgentRoot(): string {
  const r = new Root('k3s-agent');
  r.file('/etc/systemd/system/k3s-agent.service', '[Service]\nExecStart=/usr/local/bin/k3s agent\n', 0o644);
  r.file('/etc/rancher/k3s/config.yaml', 'server: https://10.0.0.4:6443\ntoken-file: /etc/rancher/k3s/token\n', 0o600);
  r.folder(`${K}/agent/etc/kubelet.conf.d`, 0o700);
  r.file(`${K}/agent/etc/kubelet.conf.d/00-k3s-defaults.conf`, K3S_KUBELET_DEFAULTS, 0o600);
  r.file(`${K}/agent/kubelet.kubeconfig`, KUBECONFIG, 0o600).file(`${K}/agent/kubeproxy.kubeconfig`, KUBECONFIG, 0o600);
  r.file(`${K}/agent/client-ca.crt`, 'client ca\n', 0o644);
  return r.dir;
}

/**
 * Bottlerocket (EKS variant): the API server renders the kubelet's settings to
 * /etc/kubernetes/kubelet/config and its kubeconfig beside it. Read through the host root a
 * privileged pod or the admin container mounts. Layout from Bottlerocket's kubelet templates
 * as kube-bench's path lists name them; not verified against a running Bottlerocket host.
 */
export function bottlerocketRoot(): string {
  const r = new Root('bottlerocket');
  r.file('/etc/os-release', 'NAME=Bottlerocket\nID=bottlerocket\nVERSION_ID=1.20.0\nVARIANT_ID=aws-k8s-1.30\n', 0o644);
  r.file('/etc/kubernetes/kubelet/config', [
    '---', 'kind: KubeletConfiguration', 'apiVersion: kubelet.config.k8s.io/v1beta1', 'address: 0.0.0.0', 'authentication:', '  anonymous:', '    enabled: false',
    '  webhook:', '    enabled: true', '  x509:', '    clientCAFile: "/etc/kubernetes/pki/ca.crt"', 'authorization:', '  mode: Webhook', 'readOnlyPort: 0',
    'serverTLSBootstrap: true', 'featureGates:', '  RotateKubeletServerCertificate: true', 'protectKernelDefaults: true', '',
  ].join('\n'), 0o644);
  r.file('/etc/kubernetes/kubelet/kubeconfig', KUBECONFIG, 0o600);
  return r.dir;
}
