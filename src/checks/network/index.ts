import type { Check } from '../types.js';
import { cniEnforcesNetworkPolicy } from './cni-enforces-network-policy.js';
import { egressIsolatedPodCanResolveDns } from './egress-isolated-pod-can-resolve-dns.js';
import { kubeSystemIsolated } from './kube-system-isolated-from-other-namespaces.js';
import { namespaceHasDefaultDenyEgress, namespaceHasDefaultDenyIngress } from './namespace-default-deny.js';
import { networkPolicyNoAllowAll } from './network-policy-no-allow-all-rules.js';
import { networkPolicySelectsPods } from './network-policy-selects-pods.js';
import { networkPolicyValid } from './network-policy-valid.js';
import { podCannotReachCloudMetadata } from './pod-cannot-reach-cloud-metadata.js';
import { podIsolatedByNetworkPolicy } from './pod-isolated-by-network-policy.js';
import { serviceLoadBalancerSourceRestricted } from './service-load-balancer-source-restricted.js';
import { serviceNoNodePort } from './service-no-node-port.js';
import { serviceNoSshPort } from './service-no-ssh-port.js';

/** Every network check, in the order reports list them. */
export const networkChecks: Check[] = [
  cniEnforcesNetworkPolicy,
  networkPolicyValid,
  namespaceHasDefaultDenyIngress,
  namespaceHasDefaultDenyEgress,
  podIsolatedByNetworkPolicy,
  kubeSystemIsolated,
  podCannotReachCloudMetadata,
  egressIsolatedPodCanResolveDns,
  networkPolicySelectsPods,
  networkPolicyNoAllowAll,
  serviceLoadBalancerSourceRestricted,
  serviceNoNodePort,
  serviceNoSshPort,
];
