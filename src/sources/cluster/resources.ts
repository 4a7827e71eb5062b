// The API resources a cluster scan lists: every kind a check reads. Kept as data so the
// read-only ClusterRole in deploy/ and the "permission that would fix it" come from one place.

export interface ApiResource {
  kind: string;
  /** API group; "" for the core group. */
  group: string;
  version: string;
  /** The plural resource name in URLs and RBAC rules. */
  plural: string;
  namespaced: boolean;
  /**
   * Listed as PartialObjectMetadata: the server sends names, labels and annotations only, so
   * values (Secret data) never reach the tool.
   */
  metadataOnly?: boolean;
  /**
   * Objects of this kind are usually made by a controller whose pod template the scan already
   * checks (Pods of a ReplicaSet, ReplicaSets of a Deployment, Jobs of a CronJob): listed after
   * the controllers, so an object whose controller is in the inventory can be left out instead
   * of repeating its controller's findings.
   */
  ownedByControllers?: boolean;
}

export const CLUSTER_RESOURCES: readonly ApiResource[] = [
  { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  { kind: 'Node', group: '', version: 'v1', plural: 'nodes', namespaced: false },
  { kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true, ownedByControllers: true },
  { kind: 'ReplicationController', group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true },
  { kind: 'ServiceAccount', group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true },
  { kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps', namespaced: true },
  { kind: 'Secret', group: '', version: 'v1', plural: 'secrets', namespaced: true, metadataOnly: true },
  { kind: 'Service', group: '', version: 'v1', plural: 'services', namespaced: true },
  { kind: 'LimitRange', group: '', version: 'v1', plural: 'limitranges', namespaced: true },
  { kind: 'ResourceQuota', group: '', version: 'v1', plural: 'resourcequotas', namespaced: true },
  { kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  { kind: 'StatefulSet', group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true },
  { kind: 'DaemonSet', group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true },
  { kind: 'ReplicaSet', group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true, ownedByControllers: true },
  { kind: 'CronJob', group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true },
  { kind: 'Job', group: 'batch', version: 'v1', plural: 'jobs', namespaced: true, ownedByControllers: true },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', namespaced: true },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', namespaced: true },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', namespaced: false },
  { kind: 'NetworkPolicy', group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', namespaced: true },
  { kind: 'Ingress', group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', namespaced: true },
  { kind: 'RuntimeClass', group: 'node.k8s.io', version: 'v1', plural: 'runtimeclasses', namespaced: false },
  { kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', plural: 'validatingwebhookconfigurations', namespaced: false },
  { kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', plural: 'mutatingwebhookconfigurations', namespaced: false },
];

export function apiVersionOf(r: ApiResource): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `pods`, `deployments.apps` — how kubectl names a resource, and how findings name where they came from. */
export function resourceName(r: ApiResource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** The URL path that lists a resource, cluster-wide or in one namespace. */
export function listPath(r: ApiResource, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace !== undefined) return `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}`;
  return `${base}/${r.plural}`;
}

/** The RBAC rule that lets the scan list a resource, as a user reads it. */
export function listPermission(r: ApiResource, namespace?: string): string {
  const where = r.namespaced && namespace !== undefined ? ` in namespace ${namespace}` : r.namespaced ? ' in all namespaces (a ClusterRole)' : '';
  return `list ${r.plural} (apiGroup "${r.group}")${where}`;
}
