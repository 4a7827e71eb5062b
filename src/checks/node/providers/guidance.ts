// Control-plane items of the managed-Kubernetes benchmarks. The provider runs the control
// plane: a node cannot see it, so each item is `manual` and names the provider setting a person
// checks (the cluster's description in the provider's API). Item numbers and labels as in
// kube-bench's cfg/eks-1.8.0, cfg/gke-1.9.0 and cfg/aks-1.8 (controlplane.yaml,
// managedservices.yaml); the settings are the providers' API fields.

import { defineNodeCheck, type NodeCheck } from '../types.js';
import type { Severity } from '../../../result/result.js';
import { providerControls, type Provider } from './worker-items.js';

/** Every guidance check id, literally (built below from the provider and the item). */
const GUIDANCE_IDS = new Set([
  {
    id: 'eks-audit-logs-enabled',
  },
  {
    id: 'eks-secrets-encrypted-with-kms',
  },
  {
    id: 'eks-endpoint-access-restricted',
  },
  {
    id: 'eks-private-endpoint',
  },
  {
    id: 'eks-private-nodes',
  },
  {
    id: 'gke-secrets-encrypted-with-kms',
  },
  {
    id: 'gke-shielded-nodes',
  },
  {
    id: 'gke-authorized-networks',
  },
  {
    id: 'gke-private-endpoint',
  },
  {
    id: 'gke-logging-enabled',
  },
  {
    id: 'gke-client-certificates-disabled',
  },
  {
    id: 'gke-legacy-abac-disabled',
  },
  {
    id: 'aks-audit-logs-enabled',
  },
  {
    id: 'aks-secrets-encrypted-with-kms',
  },
  {
    id: 'aks-endpoint-access-restricted',
  },
  {
    id: 'aks-private-endpoint',
  },
  {
    id: 'aks-entra-id-rbac',
  },
].map((r) => r.id));

/** A check id of the table above: ids are spelt out there so each can be found by name. */
function checkId(id: string): string {
  if (!GUIDANCE_IDS.has(id)) throw new Error(`check id ${id} is not listed in GUIDANCE_IDS`);
  return id;
}

interface Guidance {
  id: string;
  item: string;
  automated: boolean;
  title: string;
  severity: Severity;
  rationale: string;
  /** What to look at, naming the provider's setting and a command that shows it. */
  check: string;
}

function guidanceCheck(provider: Provider, g: Guidance): NodeCheck {
  // Automated in the provider's benchmark but not decidable from a node: reported as manual either way.
  const cis = { id: g.item, automated: false };
  return defineNodeCheck({
    id: checkId(`${provider}-${g.id}`), cis, controls: providerControls(provider, g.item), title: g.title, severity: g.severity, category: 'control-plane',
    rationale: g.rationale, remediation: g.check,
    appliesTo: `the ${provider.toUpperCase()} cluster's settings in the provider API (not visible from a node)`,
    evaluateNode: () => ({ status: 'manual', reason: `managed by the provider, not visible from this node: ${g.check}`, evidence: [], findings: [], evaluated: 0 }),
  });
}

const EKS: Guidance[] = [
  { id: 'audit-logs-enabled', item: '2.1.1', automated: false, severity: 'high', title: 'EKS control plane audit logs are enabled',
    rationale: 'Without audit logs there is no record of who did what through the API server.',
    check: 'the cluster\'s logging.clusterLogging must enable the "audit" log type (aws eks describe-cluster --name NAME --query cluster.logging).' },
  { id: 'secrets-encrypted-with-kms', item: '5.3.1', automated: false, severity: 'medium', title: 'EKS encrypts Secrets with a KMS key',
    rationale: 'Envelope encryption with a customer-managed KMS key protects Secrets in etcd beyond the provider\'s disk encryption.',
    check: 'cluster.encryptionConfig must list "secrets" with a KMS key ARN (aws eks describe-cluster --name NAME --query cluster.encryptionConfig).' },
  { id: 'endpoint-access-restricted', item: '5.4.1', automated: false, severity: 'high', title: 'EKS API endpoint access is restricted',
    rationale: 'A public endpoint open to 0.0.0.0/0 exposes the API server to the whole internet.',
    check: 'cluster.resourcesVpcConfig.publicAccessCidrs must not contain 0.0.0.0/0 when endpointPublicAccess is true.' },
  { id: 'private-endpoint', item: '5.4.2', automated: false, severity: 'medium', title: 'EKS API endpoint is private',
    rationale: 'A private endpoint keeps API traffic inside the VPC.',
    check: 'cluster.resourcesVpcConfig.endpointPrivateAccess must be true and endpointPublicAccess false.' },
  { id: 'private-nodes', item: '5.4.3', automated: false, severity: 'medium', title: 'EKS nodes have no public IP addresses',
    rationale: 'Nodes reachable from the internet widen the attack surface.',
    check: 'the node groups\' subnets must not assign public IPs (aws ec2 describe-subnets: MapPublicIpOnLaunch false).' },
];

const GKE: Guidance[] = [
  { id: 'secrets-encrypted-with-kms', item: '5.3.1', automated: true, severity: 'medium', title: 'GKE encrypts Secrets with a Cloud KMS key',
    rationale: 'Application-layer Secrets encryption with a Cloud KMS key protects Secrets in etcd.',
    check: 'databaseEncryption.state must be ENCRYPTED with a keyName (gcloud container clusters describe NAME --format "value(databaseEncryption)").' },
  { id: 'shielded-nodes', item: '5.5.5', automated: true, severity: 'medium', title: 'GKE Shielded Nodes are enabled',
    rationale: 'Shielded nodes give verifiable node identity and integrity.',
    check: 'shieldedNodes.enabled must be true (gcloud container clusters describe NAME --format "value(shieldedNodes)").' },
  { id: 'authorized-networks', item: '5.6.3', automated: true, severity: 'high', title: 'GKE control plane authorized networks are enabled',
    rationale: 'Authorized networks limit who can reach the API server.',
    check: 'masterAuthorizedNetworksConfig.enabled must be true (gcloud container clusters describe NAME --format "value(masterAuthorizedNetworksConfig)").' },
  { id: 'private-endpoint', item: '5.6.4', automated: true, severity: 'medium', title: 'GKE control plane endpoint is private',
    rationale: 'A private endpoint keeps the API server off the internet.',
    check: 'privateClusterConfig.enablePrivateEndpoint must be true.' },
  { id: 'logging-enabled', item: '5.7.1', automated: true, severity: 'high', title: 'GKE logging and monitoring are enabled',
    rationale: 'Cloud Logging keeps the control plane\'s audit logs.',
    check: 'loggingService must be logging.googleapis.com/kubernetes and monitoringService monitoring.googleapis.com/kubernetes.' },
  { id: 'client-certificates-disabled', item: '5.8.1', automated: true, severity: 'high', title: 'GKE does not issue a client certificate',
    rationale: 'The legacy client certificate is a cluster-admin credential that cannot be revoked.',
    check: 'masterAuth.clientCertificate must be empty (issueClientCertificate false).' },
  { id: 'legacy-abac-disabled', item: '5.8.3', automated: true, severity: 'critical', title: 'GKE legacy authorization (ABAC) is off',
    rationale: 'ABAC grants broad static permissions that RBAC cannot narrow.',
    check: 'legacyAbac.enabled must be false or absent.' },
];

const AKS: Guidance[] = [
  { id: 'audit-logs-enabled', item: '2.1.1', automated: false, severity: 'high', title: 'AKS control plane audit logs are collected',
    rationale: 'Without audit logs there is no record of who did what through the API server.',
    check: 'a diagnostic setting on the cluster must send the "kube-audit" (or "kube-audit-admin") category to a workspace (az monitor diagnostic-settings list --resource CLUSTER_ID).' },
  { id: 'secrets-encrypted-with-kms', item: '5.3.1', automated: false, severity: 'medium', title: 'AKS encrypts Secrets with a Key Vault key',
    rationale: 'KMS etcd encryption with Azure Key Vault protects Secrets in etcd.',
    check: 'securityProfile.azureKeyVaultKms.enabled must be true (az aks show -g RG -n NAME --query securityProfile.azureKeyVaultKms).' },
  { id: 'endpoint-access-restricted', item: '5.4.1', automated: false, severity: 'high', title: 'AKS API endpoint access is restricted',
    rationale: 'An API server open to every address exposes it to the internet.',
    check: 'apiServerAccessProfile.authorizedIpRanges must be set, or the cluster private.' },
  { id: 'private-endpoint', item: '5.4.2', automated: false, severity: 'medium', title: 'AKS API endpoint is private',
    rationale: 'A private cluster keeps the API server off the internet.',
    check: 'apiServerAccessProfile.enablePrivateCluster must be true.' },
  { id: 'entra-id-rbac', item: '5.5.1', automated: false, severity: 'medium', title: 'AKS users are managed with Microsoft Entra ID',
    rationale: 'Entra ID integration gives per-user identities instead of shared certificates.',
    check: 'aadProfile.managed must be true and disableLocalAccounts true.' },
];

export const EKS_GUIDANCE = EKS.map((g) => guidanceCheck('eks', g));
export const GKE_GUIDANCE = GKE.map((g) => guidanceCheck('gke', g));
export const AKS_GUIDANCE = AKS.map((g) => guidanceCheck('aks', g));
