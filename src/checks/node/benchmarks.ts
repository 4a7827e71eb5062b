// The benchmarks a node audit can judge a node against, and their checks. A kubeadm node takes
// the CIS Kubernetes Benchmark; k3s and RKE2 nodes take the same items (their CIS hardening
// guides map them one to one) read from where those distributions keep things, with the items
// their layout makes inapplicable skipped with the reason; EKS, GKE and AKS workers take their
// provider's benchmark, whose control plane the provider runs.

import type { NodeFacts } from '../../inventory/node-facts.js';
import { cisNodeChecks } from './index.js';
import { AKS_GUIDANCE, EKS_GUIDANCE, GKE_GUIDANCE } from './providers/guidance.js';
import { AKS_WORKER_CHECKS, EKS_WORKER_CHECKS, GKE_WORKER_CHECKS } from './providers/worker-items.js';
import type { NodeCheck, NodeOutcome } from './types.js';

export interface Benchmark {
  name: string;
  title: string;
  /** Where the item definitions come from, for the report and the docs. */
  source: string;
  checks: readonly NodeCheck[];
  /** Sections the provider runs and the customer cannot audit (shown in target.benchmark). */
  providerManaged?: { section: string; title: string }[];
}

/** A CIS Kubernetes item that the distribution's layout makes inapplicable is skipped, saying why. */
function distributionAware(check: NodeCheck): NodeCheck {
  const evaluateNode = (facts: NodeFacts): NodeOutcome => {
    const why = facts.platform?.notApplicable.get(check.cis.id);
    if (why) return { status: 'skip', reason: `not applicable on ${facts.platform!.distribution}: ${why}`, evidence: [], findings: [], evaluated: 0 };
    return check.evaluateNode(facts);
  };
  return { ...check, evaluateNode };
}

const RANCHER_CHECKS = cisNodeChecks.map(distributionAware);

export const BENCHMARKS: readonly Benchmark[] = [
  { name: 'cis-1.12', title: 'CIS Kubernetes Benchmark v1.12.0', source: 'kube-bench cfg/cis-1.12', checks: cisNodeChecks },
  {
    name: 'k3s-cis-1.12', title: 'CIS Kubernetes Benchmark v1.12.0 on k3s (paths and defaults of k3s)',
    source: 'kube-bench cfg/cis-1.12 for the items, cfg/k3s-cis-1.9 and k3s-io/k3s for where k3s keeps each setting', checks: RANCHER_CHECKS,
  },
  {
    name: 'rke2-cis-1.12', title: 'CIS Kubernetes Benchmark v1.12.0 on RKE2 (paths and defaults of RKE2)',
    source: 'kube-bench cfg/cis-1.12 for the items, cfg/rke2-cis-1.8 and rancher/rke2 for where RKE2 keeps each setting', checks: RANCHER_CHECKS,
  },
  {
    name: 'cis-eks-1.8', title: 'CIS Amazon Elastic Kubernetes Service (EKS) Benchmark v1.8.0', source: 'kube-bench cfg/eks-1.8.0',
    checks: [...EKS_WORKER_CHECKS, ...EKS_GUIDANCE], providerManaged: [{ section: '1', title: 'Control Plane Components (run by AWS)' }],
  },
  {
    name: 'cis-gke-1.9', title: 'CIS Google Kubernetes Engine (GKE) Benchmark v1.9.0', source: 'kube-bench cfg/gke-1.9.0',
    checks: [...GKE_WORKER_CHECKS, ...GKE_GUIDANCE],
    providerManaged: [{ section: '1', title: 'Control Plane Components (run by Google)' }, { section: '2', title: 'Control Plane Configuration (run by Google)' }],
  },
  {
    name: 'cis-aks-1.8', title: 'CIS Azure Kubernetes Service (AKS) Benchmark v1.8.0', source: 'kube-bench cfg/aks-1.8',
    checks: [...AKS_WORKER_CHECKS, ...AKS_GUIDANCE], providerManaged: [{ section: '1', title: 'Control Plane Components (run by Microsoft)' }],
  },
];

export function findBenchmark(name: string): Benchmark | undefined {
  return BENCHMARKS.find((b) => b.name === name);
}

export const BENCHMARK_NAMES = BENCHMARKS.map((b) => b.name);
