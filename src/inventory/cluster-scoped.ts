// Built-in kinds that are not namespaced.

/**
 * Cluster-scoped kinds: the API server ignores a metadata.namespace on them, so `default` there
 * puts nothing in the default namespace, and `kubectl apply -n` / `helm --namespace` give
 * them none.
 */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'CustomResourceDefinition', 'PriorityClass', 'RuntimeClass', 'IngressClass', 'APIService',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'CertificateSigningRequest', 'ClusterTrustBundle',
  'PodSecurityPolicy', 'ComponentStatus', 'FlowSchema', 'PriorityLevelConfiguration',
  'VolumeAttributesClass', 'DeviceClass', 'IPAddress', 'ServiceCIDR',
]);
