// Kubernetes' default RBAC policy: the ClusterRoles, Roles and bindings the API server creates at
// start-up (`rbac.authorization.kubernetes.io/autoupdate`). A scan of manifests does not contain
// them, yet every binding to `admin`, `edit`, `view` or `system:*` refers to them.
//
// Source (Apache-2.0, The Kubernetes Authors), kubernetes/kubernetes,
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/:
//   - policy.go at 0158d1b41c0296239adbbe5bc925fa635befd14d: the ClusterRoleBindings (function
//     ClusterRoleBindings) and every ClusterRole (functions ClusterRoles, NodeRules, viewRules,
//     editRules), read in full and compared rule by rule;
//   - testdata/controller-roles.yaml and controller-role-bindings.yaml at that same commit: the
//     system:controller:* roles, each bound to the kube-system service account of its name;
//   - testdata/namespace-roles.yaml and namespace-role-bindings.yaml at
//     008b3652959ca58af8be3fb5b6ecfe9ae7638282: the Roles and RoleBindings of kube-system and kube-public;
//   (The table was first written from testdata/cluster-roles.yaml at 025f2834a128, v1.28+; the
//   comparison with policy.go changed kube-scheduler, monitoring, service-account-issuer-discovery,
//   and the events rules of view, edit and system:node, which now include events.k8s.io.)
// Release: 0158d1b41c02 is a commit of kubernetes/kubernetes pull request #137498 (a closed
// proof of concept opened 2026-03-06) on top of master in the v1.36 development cycle: its
// policy.go has the GenericWorkload gate (alpha in v1.35). The PoC's own
// system:controller:podcheckpoint-controller role is left out, since no release has it. So the
// table is the policy of master between v1.35 and v1.36; BOOTSTRAP_POLICY_RELEASE says so.
// Feature-gated roles and rules (alpha/beta gates off by default) are not included.

import type { Rule } from './types.js';

export const BOOTSTRAP_POLICY_RELEASE =
  'Kubernetes bootstrap policy of upstream master between v1.35 and v1.36 (kubernetes/kubernetes 0158d1b41c02, feature gates at their defaults)';

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

const BOOTSTRAP_CLUSTER_ROLES: BootstrapRole[] = [
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
      r(WRITE, '', 'configmaps,persistentvolumeclaims,replicationcontrollers,replicationcontrollers/scale,secrets,serviceaccounts,services,services/proxy'),
      r('create', '', 'serviceaccounts/token'),
      r(WRITE, ',events.k8s.io', 'events'),
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
      r(READ, '', 'bindings,limitranges,namespaces/status,pods/log,pods/status,replicationcontrollers/status,resourcequotas,resourcequotas/status'),
      r(READ, '', 'namespaces'),
      r(READ, ',events.k8s.io', 'events'),
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
      r('get,list,update,watch', 'coordination.k8s.io', 'leases', 'kube-scheduler'),
      r(ALL, 'coordination.k8s.io', 'leasecandidates'),
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
      r(READ, 'storage.k8s.io', 'volumeattachments'),
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
    rules: [urls('get', '/healthz,/healthz/*,/livez,/livez/*,/metrics,/metrics/slis,/readyz,/readyz/*'), r('get', '', 'nodes/metrics')],
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
      r('create,patch,update', ',events.k8s.io', 'events'),
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
  { name: 'system:service-account-issuer-discovery', rules: [urls('get', '/.well-known/openid-configuration,/.well-known/openid-configuration/,/openid/v1/jwks,/openid/v1/jwks/')] },
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

const EVENTS = r('create,patch,update', ',events.k8s.io', 'events');
const CRUD = 'create,delete,get,list,update,watch';
const LEADER_LOCKING = [r('create,get,list,update,watch', 'coordination.k8s.io', 'leases'), r('create,get,list,update,watch', 'coordination.k8s.io', 'leasecandidates')];

/** The kube-controller-manager's per-controller roles (controller-roles.yaml), without the `system:controller:` prefix. */
const CONTROLLER_ROLES: [string, BootstrapRule[]][] = [
  ['attachdetach-controller', [
    r('list,watch', '', 'persistentvolumeclaims,persistentvolumes'), r(READ, '', 'nodes'), r('patch,update', '', 'nodes/status'),
    r('list,watch', '', 'pods'), EVENTS, r('create,delete,get,list,watch', 'storage.k8s.io', 'volumeattachments'),
    r(READ, 'storage.k8s.io', 'csidrivers'), r(READ, 'storage.k8s.io', 'csinodes'),
  ]],
  ['certificate-controller', [
    r('delete,get,list,watch', 'certificates.k8s.io', 'certificatesigningrequests'),
    r('update', 'certificates.k8s.io', 'certificatesigningrequests/approval,certificatesigningrequests/status'),
    r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client-kubelet'),
    r('sign', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client,kubernetes.io/kube-apiserver-client-kubelet,kubernetes.io/kubelet-serving,kubernetes.io/legacy-unknown'),
    r('create', 'authorization.k8s.io', 'subjectaccessreviews'), EVENTS,
  ]],
  ['clusterrole-aggregation-controller', [r('escalate,get,list,patch,update,watch', 'rbac.authorization.k8s.io', 'clusterroles')]],
  ['cronjob-controller', [
    r('get,list,update,watch', 'batch', 'cronjobs'), r('create,delete,get,list,patch,update,watch', 'batch', 'jobs'),
    r('update', 'batch', 'cronjobs/status'), r('update', 'batch', 'cronjobs/finalizers'), r('delete,list,watch', '', 'pods'), EVENTS,
  ]],
  ['daemon-set-controller', [
    r(READ, 'apps,extensions', 'daemonsets'), r('update', 'apps,extensions', 'daemonsets/status'), r('update', 'apps,extensions', 'daemonsets/finalizers'),
    r('list,watch', '', 'nodes'), r('create,delete,list,patch,watch', '', 'pods'), r('create', '', 'pods/binding'),
    r('create,delete,get,list,patch,update,watch', 'apps', 'controllerrevisions'), EVENTS,
  ]],
  ['deployment-controller', [
    r('get,list,update,watch', 'apps,extensions', 'deployments'), r('update', 'apps,extensions', 'deployments/status'),
    r('update', 'apps,extensions', 'deployments/finalizers'), r('create,delete,get,list,patch,update,watch', 'apps,extensions', 'replicasets'),
    r('get,list,update,watch', '', 'pods'), EVENTS,
  ]],
  ['disruption-controller', [
    r(READ, 'apps,extensions', 'deployments'), r(READ, 'apps,extensions', 'replicasets'), r(READ, '', 'replicationcontrollers'),
    r(READ, 'policy', 'poddisruptionbudgets'), r(READ, 'apps', 'statefulsets'), r('update', 'policy', 'poddisruptionbudgets/status'),
    r('patch,update', '', 'pods/status'), r('get', '*', '*/scale'), EVENTS,
  ]],
  ['endpoint-controller', [r(READ, '', 'pods,services'), r(CRUD, '', 'endpoints'), r('create', '', 'endpoints/restricted'), EVENTS]],
  ['endpointslice-controller', [r(READ, '', 'nodes,pods,services'), r('update', '', 'services/finalizers'), r(CRUD, 'discovery.k8s.io', 'endpointslices'), EVENTS]],
  ['endpointslicemirroring-controller', [
    r(READ, '', 'endpoints,services'), r('update', '', 'services/finalizers'), r('update', '', 'endpoints/finalizers'),
    r(CRUD, 'discovery.k8s.io', 'endpointslices'), EVENTS,
  ]],
  ['ephemeral-volume-controller', [r(READ, '', 'pods'), r('update', '', 'pods/finalizers'), r('create,get,list,watch', '', 'persistentvolumeclaims'), EVENTS]],
  ['expand-controller', [
    r('get,list,patch,update,watch', '', 'persistentvolumes'), r('patch,update', '', 'persistentvolumeclaims/status'),
    r(READ, '', 'persistentvolumeclaims'), EVENTS,
  ]],
  ['generic-garbage-collector', [r('delete,get,list,patch,update,watch', '*', '*'), EVENTS]],
  ['horizontal-pod-autoscaler', [
    r(READ, 'autoscaling', 'horizontalpodautoscalers'), r('update', 'autoscaling', 'horizontalpodautoscalers/status'),
    r('get,update', '*', '*/scale'), r('list,watch', '', 'pods'), r('list,watch', 'metrics.k8s.io', 'pods'),
    r(READ, 'custom.metrics.k8s.io', '*'), r(READ, 'external.metrics.k8s.io', '*'), EVENTS,
  ]],
  ['job-controller', [
    r('get,list,patch,update,watch', 'batch', 'jobs'), r('update', 'batch', 'jobs/status'), r('update', 'batch', 'jobs/finalizers'),
    r('create,delete,list,patch,watch', '', 'pods'), EVENTS,
  ]],
  ['legacy-service-account-token-cleaner', [
    r('get', '', 'configmaps', 'kube-apiserver-legacy-service-account-token-tracking'), r('delete,patch', '', 'secrets'),
  ]],
  ['namespace-controller', [
    r('delete,get,list,watch', '', 'namespaces'), r('update', '', 'namespaces/finalize,namespaces/status'),
    r('delete,deletecollection,get,list,watch', '*', '*'),
  ]],
  ['node-controller', [
    r('delete,get,list,patch,update,watch', '', 'nodes'), r('patch,update', '', 'nodes/status'), r('patch,update', '', 'pods/status'),
    r('delete,get,list,watch', '', 'pods'), EVENTS,
  ]],
  ['persistent-volume-binder', [
    r(CRUD, '', 'persistentvolumes'), r('update', '', 'persistentvolumes/status'), r('get,list,update,watch', '', 'persistentvolumeclaims'),
    r('update', '', 'persistentvolumeclaims/status'), r('create,delete,get,list,watch', '', 'pods'), r(READ, 'storage.k8s.io', 'storageclasses'),
    r('list,watch', '', 'nodes'), EVENTS, r('watch', '', 'events'),
  ]],
  ['pod-garbage-collector', [r('delete,list,watch', '', 'pods'), r(READ, '', 'nodes'), r('patch', '', 'pods/status')]],
  ['pv-protection-controller', [r('get,list,update,watch', '', 'persistentvolumes'), EVENTS]],
  ['pvc-protection-controller', [r('get,list,update,watch', '', 'persistentvolumeclaims'), r(READ, '', 'pods'), EVENTS]],
  ['replicaset-controller', [
    r('get,list,update,watch', 'apps,extensions', 'replicasets'), r('update', 'apps,extensions', 'replicasets/status'),
    r('update', 'apps,extensions', 'replicasets/finalizers'), r('create,delete,list,patch,watch', '', 'pods'), EVENTS,
  ]],
  ['replication-controller', [
    r('get,list,update,watch', '', 'replicationcontrollers'), r('update', '', 'replicationcontrollers/status'),
    r('update', '', 'replicationcontrollers/finalizers'), r('create,delete,list,patch,watch', '', 'pods'), EVENTS,
  ]],
  ['resource-claim-controller', [
    r(READ, '', 'pods'), r('update', '', 'pods/finalizers'), r('create,delete,get,list,watch', 'resource.k8s.io', 'resourceclaims'),
    r('patch,update', 'resource.k8s.io', 'resourceclaims,resourceclaims/status'), r('patch,update', '', 'pods/status'), EVENTS,
  ]],
  ['resourcequota-controller', [r('list,watch', '*', '*'), r('update', '', 'resourcequotas/status'), EVENTS]],
  ['root-ca-cert-publisher', [r('create,update', '', 'configmaps'), EVENTS]],
  ['route-controller', [r('list,watch', '', 'nodes'), r('patch', '', 'nodes/status'), EVENTS]],
  ['selinux-warning-controller', [
    EVENTS, r(READ, '', 'persistentvolumes'), r(READ, '', 'persistentvolumeclaims'), r(READ, '', 'pods'), r(READ, 'storage.k8s.io', 'csidrivers'),
  ]],
  ['service-account-controller', [r('create', '', 'serviceaccounts'), EVENTS]],
  ['service-cidrs-controller', [
    r('get,list,patch,update,watch', 'networking.k8s.io', 'servicecidrs'), r('patch,update', 'networking.k8s.io', 'servicecidrs/finalizers'),
    r('patch,update', 'networking.k8s.io', 'servicecidrs/status'), r(READ, 'networking.k8s.io', 'ipaddresses'), EVENTS,
  ]],
  ['service-controller', [r(READ, '', 'services'), r('patch,update', '', 'services/status'), r('list,watch', '', 'nodes'), EVENTS]],
  ['statefulset-controller', [
    r('list,watch', '', 'pods'), r(READ, 'apps', 'statefulsets'), r('update', 'apps', 'statefulsets/status'), r('update', 'apps', 'statefulsets/finalizers'),
    r('create,delete,get,patch,update', '', 'pods'), r('create,delete,get,list,patch,update,watch', 'apps', 'controllerrevisions'),
    r('create,get,list,watch', '', 'persistentvolumeclaims'), r('delete,update', '', 'persistentvolumeclaims'), r('update', '', 'pods/finalizers'), EVENTS,
  ]],
  ['ttl-after-finished-controller', [r('delete,get,list,watch', 'batch', 'jobs'), EVENTS]],
  ['ttl-controller', [r('list,patch,update,watch', '', 'nodes'), EVENTS]],
  ['validatingadmissionpolicy-status-controller', [
    r(READ, 'admissionregistration.k8s.io', 'validatingadmissionpolicies'),
    r('get,patch,update', 'admissionregistration.k8s.io', 'validatingadmissionpolicies/status'), EVENTS,
  ]],
  ['volumeattributesclass-protection-controller', [
    r(READ, '', 'persistentvolumeclaims'), r(READ, '', 'persistentvolumes'), r('get,list,update,watch', 'storage.k8s.io', 'volumeattributesclasses'), EVENTS,
  ]],
];

const CONTROLLER_PREFIX = 'system:controller:';

export const BOOTSTRAP_CONTROLLER_ROLES: BootstrapRole[] = CONTROLLER_ROLES.map(([name, rules]) => ({ name: CONTROLLER_PREFIX + name, rules }));

/** Roles the API server creates in kube-system and kube-public (namespace-roles.yaml). */
const BOOTSTRAP_NAMESPACE_ROLES: BootstrapRole[] = [
  {
    name: 'system:controller:bootstrap-signer',
    namespace: 'kube-public',
    rules: [r(READ, '', 'configmaps'), r('update', '', 'configmaps', 'cluster-info'), EVENTS],
  },
  {
    name: 'extension-apiserver-authentication-reader',
    namespace: 'kube-system',
    rules: [r(READ, '', 'configmaps', 'extension-apiserver-authentication')],
  },
  { name: 'system::leader-locking-kube-controller-manager', namespace: 'kube-system', rules: LEADER_LOCKING },
  { name: 'system::leader-locking-kube-scheduler', namespace: 'kube-system', rules: LEADER_LOCKING },
  { name: 'system:controller:bootstrap-signer', namespace: 'kube-system', rules: [r(READ, '', 'secrets')] },
  { name: 'system:controller:cloud-provider', namespace: 'kube-system', rules: [r('create,get,list,watch', '', 'configmaps')] },
  { name: 'system:controller:token-cleaner', namespace: 'kube-system', rules: [r('delete,get,list,watch', '', 'secrets'), EVENTS] },
];

const group = (name: string) => ({ kind: 'Group' as const, name });
const user = (name: string) => ({ kind: 'User' as const, name });
const clusterRole = (name: string) => ({ kind: 'ClusterRole' as const, name });

const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: BootstrapBinding[] = [
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

const kubeSystemAccount = (name: string) => ({ kind: 'ServiceAccount' as const, name, namespace: 'kube-system' });

/** Each controller role bound to the kube-system service account of its name (controller-role-bindings.yaml). */
export const BOOTSTRAP_CONTROLLER_ROLE_BINDINGS: BootstrapBinding[] = CONTROLLER_ROLES.map(([name]) => ({
  name: CONTROLLER_PREFIX + name,
  role: clusterRole(CONTROLLER_PREFIX + name),
  subjects: [kubeSystemAccount(name)],
}));

/** namespace-role-bindings.yaml */
const BOOTSTRAP_NAMESPACE_ROLE_BINDINGS: BootstrapBinding[] = [
  {
    name: 'system:controller:bootstrap-signer',
    namespace: 'kube-public',
    role: { kind: 'Role', name: 'system:controller:bootstrap-signer' },
    subjects: [kubeSystemAccount('bootstrap-signer')],
  },
  {
    name: 'system::extension-apiserver-authentication-reader',
    namespace: 'kube-system',
    role: { kind: 'Role', name: 'extension-apiserver-authentication-reader' },
    subjects: [user('system:kube-controller-manager'), user('system:kube-scheduler')],
  },
  {
    name: 'system::leader-locking-kube-controller-manager',
    namespace: 'kube-system',
    role: { kind: 'Role', name: 'system::leader-locking-kube-controller-manager' },
    subjects: [user('system:kube-controller-manager'), kubeSystemAccount('kube-controller-manager'), kubeSystemAccount('leader-election-controller')],
  },
  {
    name: 'system::leader-locking-kube-scheduler',
    namespace: 'kube-system',
    role: { kind: 'Role', name: 'system::leader-locking-kube-scheduler' },
    subjects: [user('system:kube-scheduler'), kubeSystemAccount('kube-scheduler')],
  },
  ...['bootstrap-signer', 'cloud-provider', 'token-cleaner'].map((name) => ({
    name: CONTROLLER_PREFIX + name,
    namespace: 'kube-system',
    role: { kind: 'Role' as const, name: CONTROLLER_PREFIX + name },
    subjects: [kubeSystemAccount(name)],
  })),
];

export const BOOTSTRAP_ROLES: BootstrapRole[] = [...BOOTSTRAP_CLUSTER_ROLES, ...BOOTSTRAP_CONTROLLER_ROLES, ...BOOTSTRAP_NAMESPACE_ROLES];
export const BOOTSTRAP_BINDINGS: BootstrapBinding[] = [
  ...BOOTSTRAP_CLUSTER_ROLE_BINDINGS,
  ...BOOTSTRAP_CONTROLLER_ROLE_BINDINGS,
  ...BOOTSTRAP_NAMESPACE_ROLE_BINDINGS,
];
/** A table rule as the engine's Rule (absent fields as empty lists). */
export function toRule(r: BootstrapRule): Rule {
  return { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], resourceNames: r.resourceNames ?? [], nonResourceURLs: r.nonResourceURLs ?? [] };
}
