// Node facts of the model layer (beside the node facts the architecture step moves here): what
// kind of node this is (kubeadm, k3s, RKE2, an EKS, GKE or AKS worker), why we think so, and
// where that distribution keeps the files its benchmark names. The node source fills this in;
// file items read the files' modes and owners through the recorded host, as every check does.



export type Distribution = 'kubeadm' | 'k3s' | 'rke2' | 'eks' | 'gke' | 'aks';

/** A path and how it was found ("kubelet --kubeconfig in /etc/eks/kubelet/environment", "k3s default path"). */
export interface PlatformPath {
  path: string;
  how: string;
}

/**
 * Files and folders a distribution's benchmark names. Roles the distribution does not have are
 * left out; a check then falls back to the kubeadm default or says the item does not apply.
 */
export interface PlatformPaths {
  /** Kubelet systemd unit files (kubelet.service, its drop-ins, the EnvironmentFile). */
  kubeletService?: PlatformPath[];
  kubeletKubeconfig?: PlatformPath;
  /** The kubelet config file and every drop-in it reads. */
  kubeletConfigFiles?: PlatformPath[];
  kubeletClientCa?: PlatformPath;
  kubeProxyKubeconfig?: PlatformPath;
  /** AKS: the cloud provider config (/etc/kubernetes/azure.json). */
  azureJson?: PlatformPath;
  adminKubeconfigs?: PlatformPath[];
  /** The control plane's TLS folder (kubeadm /etc/kubernetes/pki, k3s server/tls). */
  pkiDir?: PlatformPath;
  cniDirs?: PlatformPath[];
}

/** The benchmark a node is judged against, and how it was chosen. */
export interface BenchmarkChoice {
  /** `cis-1.12`, `cis-eks-1.8`, `k3s-cis-1.12` … */
  name: string;
  /** `detected` from the evidence, or `--benchmark` given by the user. */
  how: 'detected' | '--benchmark';
}

export interface PlatformFacts {
  distribution: Distribution;
  /** OS or image flavour where it matters for paths: `al2`, `al2023`, `bottlerocket`, `cos`, `ubuntu`, `azurelinux`. */
  flavour?: string;
  /** `server` (k3s/RKE2 control plane), `agent`, `worker`, `control-plane`. */
  role?: string;
  /** What was seen, in words: `/etc/eks/kubelet/environment exists`, `process 412 runs k3s server`. */
  evidence: string[];
  benchmark: BenchmarkChoice;
  paths: PlatformPaths;
  /**
   * Benchmark items that do not apply on this distribution, by CIS id, with why (k3s has no
   * kube-apiserver manifest: it runs the API server inside its own process).
   */
  notApplicable: Map<string, string>;
  /** k3s/RKE2: where cluster state lives. */
  datastore?: { kind: 'sqlite' | 'embedded-etcd' | 'external'; evidence: string };
}

export const BENCHMARK_OF: Record<Distribution, string> = {
  kubeadm: 'cis-1.12',
  k3s: 'k3s-cis-1.12',
  rke2: 'rke2-cis-1.12',
  eks: 'cis-eks-1.8',
  gke: 'cis-gke-1.9',
  aks: 'cis-aks-1.8',
};
