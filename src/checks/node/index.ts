import type { Check } from '../types.js';
import type { NodeCheck } from './types.js';
import { controlPlaneChecks } from '../controlplane/index.js';
import { etcdChecks } from '../etcd/index.js';
import { fileCheck } from '../templates/file-item.js';
import { settingCheck } from '../templates/setting-item.js';
import { WORKER_FILE_ITEMS } from './file-items.js';
import { KUBELET_ITEMS } from './kubelet-items.js';
import { kubeletServingCertificate } from './kubelet-serving-certificate.js';
import { kubeletVersionSupported } from './kubelet-version-supported.js';
import { kubeletVersionWithinSkew } from './kubelet-version-within-skew.js';
import { kubeletRotateServerCertificateGate } from './kubelet-rotate-server-certificate-gate.js';
import { AKS_GUIDANCE, EKS_GUIDANCE, GKE_GUIDANCE } from './providers/guidance.js';
import { AKS_WORKER_CHECKS, EKS_WORKER_CHECKS, GKE_WORKER_CHECKS } from './providers/worker-items.js';

/** Orders CIS ids numerically: 1.2.9 before 1.2.10. */
function byCisId(a: NodeCheck, b: NodeCheck): number {
  const pa = a.cis.id.split('.').map(Number);
  const pb = b.cis.id.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

/** The worker node's own items (CIS section 4): kubelet settings and the files on every node. */
const workerNodeChecks: NodeCheck[] = [...WORKER_FILE_ITEMS.map(fileCheck), ...KUBELET_ITEMS.map(settingCheck), kubeletServingCertificate, kubeletRotateServerCertificateGate];

/** Every CIS item of sections 1–4, one check each, in benchmark order. */
export const cisNodeChecks: NodeCheck[] = [...controlPlaneChecks, ...etcdChecks, ...workerNodeChecks].sort(byCisId);

/** Every node check, in the order reports list them. In a manifest scan they read static pods and KubeletConfiguration files. */
export const nodeChecks: Check[] = cisNodeChecks;

/** The kubelets' versions against the API server's and the supported releases (cluster scans and snapshots). */
export const kubeletVersionChecks: Check[] = [kubeletVersionWithinSkew, kubeletVersionSupported];

/**
 * The worker items and control-plane guidance of the provider benchmarks (CIS EKS, GKE, AKS):
 * a node audit runs them on those workers (benchmarks.ts); `checks list` and the docs show them.
 */
export const providerNodeChecks: NodeCheck[] = [...EKS_WORKER_CHECKS, ...EKS_GUIDANCE, ...GKE_WORKER_CHECKS, ...GKE_GUIDANCE, ...AKS_WORKER_CHECKS, ...AKS_GUIDANCE];
