// Kubernetes' default RBAC policy: the ClusterRoles, Roles and bindings the API server creates at
// start-up (`rbac.authorization.kubernetes.io/autoupdate`). A scan of manifests does not contain
// them, yet every binding to `admin`, `edit`, `view` or `system:*` refers to them.
//
// Source (Apache-2.0, The Kubernetes Authors): kubernetes/kubernetes
//   plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml at commit
//   025f2834a128798cef30018a5e6a6ae82b5ad885 (the golden file of bootstrappolicy/policy.go), and
//   the ClusterRoleBindings / kube-system RoleBindings of policy.go and namespace_policy.go.
// The roles in this table carry `selfsubjectreviews` (GA in v1.28) and `/metrics/slis`
// (v1.26+), so it describes the v1.28-and-later policy; BOOTSTRAP_POLICY_RELEASE says so.
// Not included: the `system:controller:*` roles of the controller-manager's service accounts
// (all in kube-system, which the escalation analysis already treats as cluster-admin) and the
// feature-gated alpha roles.

import type { Rule } from './types.js';

export const BOOTSTRAP_POLICY_RELEASE = 'Kubernetes v1.28+ bootstrap policy (kubernetes/kubernetes 025f2834a128)';

export interface BootstrapRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface BootstrapRole {
  name: string;
  /** Set for a namespaced Role. */
  namespace?: string;
  labels?: Record<string, string>;
  /** Label keys (value "true") of an aggregated ClusterRole's selectors. */
  aggregateFrom?: string[];
  rules: BootstrapRule[];
}

export interface BootstrapBinding {
  name: string;
  namespace?: string;
  role: { kind: 'Role' | 'ClusterRole'; name: string };
  subjects: { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string }[];
}

const list = (s: string) => s.split(',');

/** A resource rule; `groups` is comma-separated, an empty entry being the core group. */
function r(verbs: string, groups: string, resources: string, names?: string): BootstrapRule {
  const rule: BootstrapRule = { verbs: list(verbs), apiGroups: list(groups), resources: list(resources) };
  if (names) rule.resourceNames = list(names);
  return rule;
}

function urls(verbs: string, paths: string): BootstrapRule {
  return { verbs: list(verbs), nonResourceURLs: list(paths) };
}

const READ = 'get,list,watch';
const WRITE = 'create,delete,deletecollection,patch,update';
const ALL = 'create,delete,deletecollection,get,list,patch,update,watch';
const AGG = 'rbac.authorization.k8s.io/aggregate-to-';

export const BOOTSTRAP_CLUSTER_ROLES: BootstrapRole[] = [
  { name: 'admin', aggregateFrom: [AGG + 'admin'], rules: [] },
  { name: 'cluster-admin', rules: [r('*', '*', '*'), urls('*', '*')] },
  { name: 'edit', labels: { [AGG + 'admin']: 'true' }, aggregateFrom: [AGG + 'edit'], rules: [] },
  {
    name: 'system:aggregate-to-admin',
    labels: { [AGG + 'admin']: 'true' },
    rules: [r('create', 'authorization.k8s.io', 'localsubjectaccessreviews'), r(ALL, 'rbac.authorization.k8s.io', 'rolebindings,roles')],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: { [AGG + 'edit']: 'true' },
    rules: [
      r(READ, '', 'pods/attach,pods/exec,pods/portforward,pods/proxy,secrets,services/proxy'),
      r('impersonate', '', 'serviceaccounts'),
      r(WRITE, '', 'pods,pods/attach,pods/exec,pods/portforward,pods/proxy'),
      r('create', '', 'pods/eviction'),
      r(WRITE, '', 'configmaps,events,persistentvolumeclaims,replicationcontrollers,replicationcontrollers/scale,secrets,serviceaccounts,services,services/proxy'),
      r('create', '', 'serviceaccounts/token'),
      r(WRITE, 'apps', 'daemonsets,deployments,deployments/rollback,deployments/scale,replicasets,replicasets/scale,statefulsets,statefulsets/scale'),
      r(WRITE, 'autoscaling', 'horizontalpodautoscalers'),
      r(WRITE, 'batch', 'cronjobs,jobs'),
      r(WRITE, 'extensions', 'daemonsets,deployments,deployments/rollback,deployments/scale,ingresses,networkpolicies,replicasets,replicasets/scale,replicationcontrollers/scale'),
      r(WRITE, 'policy', 'poddisruptionbudgets'),
      r(WRITE, 'networking.k8s.io', 'ingresses,networkpolicies'),
      r(ALL, 'coordination.k8s.io', 'leases'),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: { [AGG + 'view']: 'true' },
    rules: [
      r(READ, '', 'configmaps,endpoints,persistentvolumeclaims,persistentvolumeclaims/status,pods,replicationcontrollers,replicationcontrollers/scale,serviceaccounts,services,services/status'),
      r(READ, '', 'bindings,events,limitranges,namespaces/status,pods/log,pods/status,replicationcontrollers/status,resourcequotas,resourcequotas/status'),
      r(READ, '', 'namespaces'),
      r(READ, 'discovery.k8s.io', 'endpointslices'),
      r(READ, 'apps', 'controllerrevisions,daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,replicasets,replicasets/scale,replicasets/status,statefulsets,statefulsets/scale,statefulsets/status'),
      r(READ, 'autoscaling', 'horizontalpodautoscalers,horizontalpodautoscalers/status'),
      r(READ, 'batch', 'cronjobs,cronjobs/status,jobs,jobs/status'),
      r(READ, 'extensions', 'daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,ingresses,ingresses/status,networkpolicies,replicasets,replicasets/scale,replicasets/status,replicationcontrollers/scale'),
      r(READ, 'policy', 'poddisruptionbudgets,poddisruptionbudgets/status'),
      r(READ, 'networking.k8s.io', 'ingresses,ingresses/status,networkpolicies'),
    ],
  },
  {
    name: 'system:auth-delegator',
    rules: [r('create', 'authentication.k8s.io', 'tokenreviews'), r('create', 'authorization.k8s.io', 'subjectaccessreviews')],
  },
  {
    name: 'system:basic-user',
    rules: [
      r('create', 'authorization.k8s.io', 'selfsubjectaccessreviews,selfsubjectrulesreviews'),
      r('create', 'authentication.k8s.io', 'selfsubjectreviews'),
    ],
  },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', rules: [r('create', 'certificates.k8s.io', 'certificatesigningrequests/nodeclient')] },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', rules: [r('create', 'certificates.k8s.io', 'certificatesigningrequests/selfnodeclient')] },
  { name: 'system:certificates.k8s.io:kube-apiserver-client-approver', rules: [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client')] },
  { name: 'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', rules: [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client-kubelet')] },
  { name: 'system:certificates.k8s.io:kubelet-serving-approver', rules: [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kubelet-serving')] },
  { name: 'system:certificates.k8s.io:legacy-unknown-approver', rules: [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/legacy-unknown')] },
  {
    name: 'system:discovery',
    rules: [urls('get', '/api,/api/*,/apis,/apis/*,/healthz,/livez,/openapi,/openapi/*,/readyz,/version,/version/')],
  },
  { name: 'system:heapster', rules: [r(READ, '', 'events,namespaces,nodes,pods'), r(READ, 'extensions', 'deployments')] },
  { name: 'system:kube-aggregator', rules: [r(READ, '', 'endpoints,services')] },
  {
    name: 'system:kube-controller-manager',
    rules: [
      r('create,patch,update', ',events.k8s.io', 'events'),
      r('create', 'coordination.k8s.io', 'leases'),
      r('get,update', 'coordination.k8s.io', 'leases', 'kube-controller-manager'),
      r('create', '', 'secrets,serviceaccounts'),
      r('delete', '', 'secrets'),
      r('get', '', 'configmaps,namespaces,secrets,serviceaccounts'),
      r('update', '', 'secrets,serviceaccounts'),
      r('create', 'authentication.k8s.io', 'tokenreviews'),
      r('create', 'authorization.k8s.io', 'subjectaccessreviews'),
      r('list,watch', '*', '*'),
      r('create', '', 'serviceaccounts/token'),
    ],
  },
  { name: 'system:kube-dns', rules: [r('list,watch', '', 'endpoints,services')] },
  {
    name: 'system:kube-scheduler',
    rules: [
      r('create,patch,update', ',events.k8s.io', 'events'),
      r('create', 'coordination.k8s.io', 'leases'),
      r('get,update', 'coordination.k8s.io', 'leases', 'kube-scheduler'),
      r(READ, '', 'nodes'),
      r('delete,get,list,watch', '', 'pods'),
      r('create', '', 'bindings,pods/binding'),
      r('patch,update', '', 'pods/status'),
      r(READ, '', 'replicationcontrollers,services'),
      r(READ, 'apps,extensions', 'replicasets'),
      r(READ, 'apps', 'statefulsets'),
      r(READ, 'policy', 'poddisruptionbudgets'),
      r(READ, '', 'persistentvolumeclaims,persistentvolumes'),
      r('create', 'authentication.k8s.io', 'tokenreviews'),
      r('create', 'authorization.k8s.io', 'subjectaccessreviews'),
      r(READ, 'storage.k8s.io', 'csinodes'),
      r(READ, '', 'namespaces'),
      r(READ, 'storage.k8s.io', 'csidrivers'),
      r(READ, 'storage.k8s.io', 'csistoragecapacities'),
    ],
  },
  {
    name: 'system:kubelet-api-admin',
    rules: [r(READ, '', 'nodes'), r('proxy', '', 'nodes'), r('*', '', 'nodes/log,nodes/metrics,nodes/proxy,nodes/stats')],
  },
  {
    name: 'system:monitoring',
    rules: [urls('get', '/healthz,/healthz/*,/livez,/livez/*,/metrics,/metrics/slis,/readyz,/readyz/*')],
  },
  {
    name: 'system:node',
    rules: [
      r('create', 'authentication.k8s.io', 'tokenreviews'),
      r('create', 'authorization.k8s.io', 'localsubjectaccessreviews,subjectaccessreviews'),
      r(READ, '', 'services'),
      r('create,get,list,watch', '', 'nodes'),
      r('patch,update', '', 'nodes/status'),
      r('patch,update', '', 'nodes'),
      r('create,patch,update', '', 'events'),
      r(READ, '', 'pods'),
      r('create,delete', '', 'pods'),
      r('patch,update', '', 'pods/status'),
      r('create', '', 'pods/eviction'),
      r(READ, '', 'configmaps,secrets'),
      r('get', '', 'persistentvolumeclaims,persistentvolumes'),
      r('get', '', 'endpoints'),
      r('create,get,list,watch', 'certificates.k8s.io', 'certificatesigningrequests'),
      r('create,delete,get,patch,update', 'coordination.k8s.io', 'leases'),
      r('get', 'storage.k8s.io', 'volumeattachments'),
      r('create', '', 'serviceaccounts/token'),
      r('get,patch,update', '', 'persistentvolumeclaims/status'),
      r(READ, 'storage.k8s.io', 'csidrivers'),
      r('create,delete,get,patch,update', 'storage.k8s.io', 'csinodes'),
      r(READ, 'node.k8s.io', 'runtimeclasses'),
    ],
  },
  { name: 'system:node-bootstrapper', rules: [r('create,get,list,watch', 'certificates.k8s.io', 'certificatesigningrequests')] },
  {
    name: 'system:node-problem-detector',
    rules: [r('get', '', 'nodes'), r('patch', '', 'nodes/status'), r('create,patch,update', ',events.k8s.io', 'events')],
  },
  {
    name: 'system:node-proxier',
    rules: [
      r('list,watch', '', 'endpoints,services'),
      r(READ, '', 'nodes'),
      r('create,patch,update', ',events.k8s.io', 'events'),
      r('list,watch', 'discovery.k8s.io', 'endpointslices'),
    ],
  },
  {
    name: 'system:persistent-volume-provisioner',
    rules: [
      r('create,delete,get,list,watch', '', 'persistentvolumes'),
      r('get,list,update,watch', '', 'persistentvolumeclaims'),
      r(READ, 'storage.k8s.io', 'storageclasses'),
      r('watch', '', 'events'),
      r('create,patch,update', ',events.k8s.io', 'events'),
    ],
  },
  { name: 'system:public-info-viewer', rules: [urls('get', '/healthz,/livez,/readyz,/version,/version/')] },
  { name: 'system:service-account-issuer-discovery', rules: [urls('get', '/.well-known/openid-configuration,/openid/v1/jwks')] },
  {
    name: 'system:volume-scheduler',
    rules: [
      r('get,list,patch,update,watch', '', 'persistentvolumes'),
      r(READ, 'storage.k8s.io', 'storageclasses'),
      r('get,list,patch,update,watch', '', 'persistentvolumeclaims'),
    ],
  },
  { name: 'view', labels: { [AGG + 'edit']: 'true' }, aggregateFrom: [AGG + 'view'], rules: [] },
];

/** Roles the API server creates in kube-system (namespace_policy.go). */
export const BOOTSTRAP_NAMESPACE_ROLES: BootstrapRole[] = [
  {
    name: 'extension-apiserver-authentication-reader',
    namespace: 'kube-system',
    rules: [r(READ, '', 'configmaps', 'extension-apiserver-authentication')],
  },
];

const group = (name: string) => ({ kind: 'Group' as const, name });
const user = (name: string) => ({ kind: 'User' as const, name });
const clusterRole = (name: string) => ({ kind: 'ClusterRole' as const, name });

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: BootstrapBinding[] = [
  { name: 'cluster-admin', role: clusterRole('cluster-admin'), subjects: [group('system:masters')] },
  { name: 'system:monitoring', role: clusterRole('system:monitoring'), subjects: [group('system:monitoring')] },
  { name: 'system:discovery', role: clusterRole('system:discovery'), subjects: [group('system:authenticated')] },
  { name: 'system:basic-user', role: clusterRole('system:basic-user'), subjects: [group('system:authenticated')] },
  {
    name: 'system:public-info-viewer',
    role: clusterRole('system:public-info-viewer'),
    subjects: [group('system:authenticated'), group('system:unauthenticated')],
  },
  { name: 'system:node-proxier', role: clusterRole('system:node-proxier'), subjects: [user('system:kube-proxy')] },
  { name: 'system:kube-controller-manager', role: clusterRole('system:kube-controller-manager'), subjects: [user('system:kube-controller-manager')] },
  {
    name: 'system:kube-dns',
    role: clusterRole('system:kube-dns'),
    subjects: [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }],
  },
  { name: 'system:kube-scheduler', role: clusterRole('system:kube-scheduler'), subjects: [user('system:kube-scheduler')] },
  { name: 'system:volume-scheduler', role: clusterRole('system:volume-scheduler'), subjects: [user('system:kube-scheduler')] },
  { name: 'system:node', role: clusterRole('system:node'), subjects: [] },
  {
    name: 'system:service-account-issuer-discovery',
    role: clusterRole('system:service-account-issuer-discovery'),
    subjects: [group('system:serviceaccounts')],
  },
];

export const BOOTSTRAP_NAMESPACE_ROLE_BINDINGS: BootstrapBinding[] = [
  {
    name: 'system::extension-apiserver-authentication-reader',
    namespace: 'kube-system',
    role: { kind: 'Role', name: 'extension-apiserver-authentication-reader' },
    subjects: [user('system:kube-controller-manager'), user('system:kube-scheduler')],
  },
];

export const BOOTSTRAP_ROLES: BootstrapRole[] = [...BOOTSTRAP_CLUSTER_ROLES, ...BOOTSTRAP_NAMESPACE_ROLES];
export const BOOTSTRAP_BINDINGS: BootstrapBinding[] = [...BOOTSTRAP_CLUSTER_ROLE_BINDINGS, ...BOOTSTRAP_NAMESPACE_ROLE_BINDINGS];

/** A table rule as the engine's Rule (absent fields as empty lists). */
export function toRule(r: BootstrapRule): Rule {
  return { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], resourceNames: r.resourceNames ?? [], nonResourceURLs: r.nonResourceURLs ?? [] };
}
