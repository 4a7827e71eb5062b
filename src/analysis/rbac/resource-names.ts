// Resource names as kubectl resolves what a person types: the plural (`secrets`), the singular
// (`secret`), a short name (`deploy`), the kind (`Secret`), in any case, optionally with the
// group (`deploy.apps`). RBAC rules match the lower-case plural only, so `secret` must become
// `secrets` before a rule is asked; an unknown built-in name is an error, never a silent
// "cannot". Table: `kubectl api-resources` of Kubernetes 1.33 (built-in resources only).

interface BuiltIn {
  plural: string;
  group: string;
  kind: string;
  short?: string[];
}

const BUILT_IN: BuiltIn[] = [
  { plural: 'bindings', group: '', kind: 'Binding' },
  { plural: 'componentstatuses', group: '', kind: 'ComponentStatus', short: ['cs'] },
  { plural: 'configmaps', group: '', kind: 'ConfigMap', short: ['cm'] },
  { plural: 'endpoints', group: '', kind: 'Endpoints', short: ['ep'] },
  { plural: 'events', group: '', kind: 'Event', short: ['ev'] },
  { plural: 'limitranges', group: '', kind: 'LimitRange', short: ['limits'] },
  { plural: 'namespaces', group: '', kind: 'Namespace', short: ['ns'] },
  { plural: 'nodes', group: '', kind: 'Node', short: ['no'] },
  { plural: 'persistentvolumeclaims', group: '', kind: 'PersistentVolumeClaim', short: ['pvc'] },
  { plural: 'persistentvolumes', group: '', kind: 'PersistentVolume', short: ['pv'] },
  { plural: 'pods', group: '', kind: 'Pod', short: ['po'] },
  { plural: 'podtemplates', group: '', kind: 'PodTemplate' },
  { plural: 'replicationcontrollers', group: '', kind: 'ReplicationController', short: ['rc'] },
  { plural: 'resourcequotas', group: '', kind: 'ResourceQuota', short: ['quota'] },
  { plural: 'secrets', group: '', kind: 'Secret' },
  { plural: 'serviceaccounts', group: '', kind: 'ServiceAccount', short: ['sa'] },
  { plural: 'services', group: '', kind: 'Service', short: ['svc'] },
  { plural: 'mutatingwebhookconfigurations', group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { plural: 'validatingadmissionpolicies', group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { plural: 'validatingadmissionpolicybindings', group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { plural: 'validatingwebhookconfigurations', group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { plural: 'customresourcedefinitions', group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', short: ['crd', 'crds'] },
  { plural: 'apiservices', group: 'apiregistration.k8s.io', kind: 'APIService' },
  { plural: 'controllerrevisions', group: 'apps', kind: 'ControllerRevision' },
  { plural: 'daemonsets', group: 'apps', kind: 'DaemonSet', short: ['ds'] },
  { plural: 'deployments', group: 'apps', kind: 'Deployment', short: ['deploy'] },
  { plural: 'replicasets', group: 'apps', kind: 'ReplicaSet', short: ['rs'] },
  { plural: 'statefulsets', group: 'apps', kind: 'StatefulSet', short: ['sts'] },
  { plural: 'selfsubjectreviews', group: 'authentication.k8s.io', kind: 'SelfSubjectReview' },
  { plural: 'tokenreviews', group: 'authentication.k8s.io', kind: 'TokenReview' },
  { plural: 'localsubjectaccessreviews', group: 'authorization.k8s.io', kind: 'LocalSubjectAccessReview' },
  { plural: 'selfsubjectaccessreviews', group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' },
  { plural: 'selfsubjectrulesreviews', group: 'authorization.k8s.io', kind: 'SelfSubjectRulesReview' },
  { plural: 'subjectaccessreviews', group: 'authorization.k8s.io', kind: 'SubjectAccessReview' },
  { plural: 'horizontalpodautoscalers', group: 'autoscaling', kind: 'HorizontalPodAutoscaler', short: ['hpa'] },
  { plural: 'cronjobs', group: 'batch', kind: 'CronJob', short: ['cj'] },
  { plural: 'jobs', group: 'batch', kind: 'Job' },
  { plural: 'certificatesigningrequests', group: 'certificates.k8s.io', kind: 'CertificateSigningRequest', short: ['csr'] },
  { plural: 'leases', group: 'coordination.k8s.io', kind: 'Lease' },
  { plural: 'endpointslices', group: 'discovery.k8s.io', kind: 'EndpointSlice' },
  { plural: 'events', group: 'events.k8s.io', kind: 'Event', short: ['ev'] },
  { plural: 'flowschemas', group: 'flowcontrol.apiserver.k8s.io', kind: 'FlowSchema' },
  { plural: 'prioritylevelconfigurations', group: 'flowcontrol.apiserver.k8s.io', kind: 'PriorityLevelConfiguration' },
  { plural: 'ingressclasses', group: 'networking.k8s.io', kind: 'IngressClass' },
  { plural: 'ingresses', group: 'networking.k8s.io', kind: 'Ingress', short: ['ing'] },
  { plural: 'ipaddresses', group: 'networking.k8s.io', kind: 'IPAddress', short: ['ip'] },
  { plural: 'networkpolicies', group: 'networking.k8s.io', kind: 'NetworkPolicy', short: ['netpol'] },
  { plural: 'servicecidrs', group: 'networking.k8s.io', kind: 'ServiceCIDR' },
  { plural: 'runtimeclasses', group: 'node.k8s.io', kind: 'RuntimeClass' },
  { plural: 'poddisruptionbudgets', group: 'policy', kind: 'PodDisruptionBudget', short: ['pdb'] },
  { plural: 'clusterrolebindings', group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { plural: 'clusterroles', group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { plural: 'rolebindings', group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { plural: 'roles', group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { plural: 'deviceclasses', group: 'resource.k8s.io', kind: 'DeviceClass' },
  { plural: 'resourceclaims', group: 'resource.k8s.io', kind: 'ResourceClaim' },
  { plural: 'resourceclaimtemplates', group: 'resource.k8s.io', kind: 'ResourceClaimTemplate' },
  { plural: 'resourceslices', group: 'resource.k8s.io', kind: 'ResourceSlice' },
  { plural: 'priorityclasses', group: 'scheduling.k8s.io', kind: 'PriorityClass', short: ['pc'] },
  { plural: 'csidrivers', group: 'storage.k8s.io', kind: 'CSIDriver' },
  { plural: 'csinodes', group: 'storage.k8s.io', kind: 'CSINode' },
  { plural: 'csistoragecapacities', group: 'storage.k8s.io', kind: 'CSIStorageCapacity' },
  { plural: 'storageclasses', group: 'storage.k8s.io', kind: 'StorageClass', short: ['sc'] },
  { plural: 'volumeattachments', group: 'storage.k8s.io', kind: 'VolumeAttachment' },
  { plural: 'volumeattributesclasses', group: 'storage.k8s.io', kind: 'VolumeAttributesClass', short: ['vac'] },
];

const BUILT_IN_GROUPS = new Set(BUILT_IN.map((r) => r.group));

/**
 * The RBAC resource and group for what was typed, as kubectl resolves it. `group` is the
 * group typed after the first dot ('' when none). A name with a group that is not built in
 * (a custom resource) is taken as written: RBAC rules name custom resources by their plural.
 * Throws for a name without a group, or with a built-in group, that names no resource.
 */
export function resolveResource(typed: string, group: string): { resource: string; apiGroup: string } {
  if (typed === '*') return { resource: '*', apiGroup: group };
  if (group && !BUILT_IN_GROUPS.has(group)) return { resource: typed, apiGroup: group };
  const t = typed.toLowerCase();
  const matches = BUILT_IN.filter(
    (r) => (!group || r.group === group) && (r.plural === t || r.kind.toLowerCase() === t || r.short?.includes(t)),
  );
  // kubectl prefers the core group, then the first group in discovery order (events: core).
  const found = matches.find((r) => r.group === '') ?? matches[0];
  if (!found) {
    const near = BUILT_IN.filter((r) => r.plural.startsWith(t.slice(0, 3))).map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural));
    throw new Error(
      `unknown resource ${JSON.stringify(group ? `${typed}.${group}` : typed)}: not a built-in resource (plural, singular, short name or kind)` +
        (near.length ? `; did you mean ${near.slice(0, 4).join(', ')}?` : '') +
        '; write a custom resource as PLURAL.GROUP (e.g. widgets.example.com)',
    );
  }
  return { resource: found.plural, apiGroup: found.group };
}
