// Which admission plugins a kube-apiserver runs, from its flags, exactly as
// k8s.io/apiserver/pkg/server/options/admission.go (enabledPluginNames, Validate) and
// pkg/kubeapiserver/options/admission.go (the deprecated --admission-control) compute it.
//
// Plugin lists: kubernetes/kubernetes pkg/kubeapiserver/options/plugins.go as stored at commit
// 008b3652959ca58af8be3fb5b6ecfe9ae7638282 (master after v1.35: it already has PodGroupProtection,
// NodeDeclaredFeatureValidator, JobValidation, PodResizeValidator). Older releases register
// fewer plugins; those added recently are listed with the first minor version that has them
// where we could pin it, so a flag naming them on an older server is not mistaken for valid.

/** Every registered plugin, in the order the API server runs them (AllOrderedPlugins). */
const ALL_ORDERED_PLUGINS = [
  'AlwaysAdmit', 'NamespaceAutoProvision', 'NamespaceLifecycle', 'NamespaceExists', 'LimitPodHardAntiAffinityTopology',
  'LimitRanger', 'ServiceAccount', 'NodeRestriction', 'TaintNodesByCondition', 'AlwaysPullImages', 'ImagePolicyWebhook',
  'PodSecurity', 'PodNodeSelector', 'Priority', 'DefaultTolerationSeconds', 'PodTolerationRestriction', 'EventRateLimit',
  'ExtendedResourceToleration', 'DefaultStorageClass', 'StorageObjectInUseProtection', 'PodGroupProtection',
  'OwnerReferencesPermissionEnforcement', 'PersistentVolumeClaimResize', 'RuntimeClass', 'CertificateApproval',
  'CertificateSigning', 'ClusterTrustBundleAttest', 'CertificateSubjectRestriction', 'DefaultIngressClass',
  'DenyServiceExternalIPs', 'PodTopologyLabels', 'PodGroupWorkloadExists', 'NodeDeclaredFeatureValidator', 'JobValidation',
  'PodResizeValidator', 'MutatingAdmissionPolicy', 'MutatingAdmissionWebhook', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook', 'ResourceQuota', 'AlwaysDeny',
] as const;

/** On when the flags do not mention them (DefaultOffAdmissionPlugins' defaultOnPlugins). */
export const DEFAULT_ON_PLUGINS: ReadonlySet<string> = new Set([
  'NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'DefaultStorageClass', 'PersistentVolumeClaimResize',
  'DefaultTolerationSeconds', 'MutatingAdmissionWebhook', 'ValidatingAdmissionWebhook', 'ResourceQuota',
  'StorageObjectInUseProtection', 'PodGroupProtection', 'Priority', 'TaintNodesByCondition', 'RuntimeClass',
  'CertificateApproval', 'CertificateSigning', 'ClusterTrustBundleAttest', 'CertificateSubjectRestriction',
  'DefaultIngressClass', 'PodSecurity', 'PodTopologyLabels', 'MutatingAdmissionPolicy', 'ValidatingAdmissionPolicy',
  'PodGroupWorkloadExists', 'NodeDeclaredFeatureValidator', 'JobValidation', 'PodResizeValidator',
]);

/** First minor version (1.N) that registers a plugin, where it is later than every version still in use. */
const ADDED_IN: Record<string, number> = {
  PodSecurity: 22, // alpha in 1.22, on by default from 1.23
  ClusterTrustBundleAttest: 27,
  MutatingAdmissionPolicy: 32,
  PodTopologyLabels: 33,
};
/** PodSecurity was registered in 1.22 but on by default only from 1.23. */
const DEFAULT_ON_FROM: Record<string, number> = { PodSecurity: 23 };

/** Plugins that were removed; naming one makes a current API server refuse to start. */
const REMOVED_PLUGINS: Record<string, string> = {
  PodSecurityPolicy: 'removed in Kubernetes 1.25 (use PodSecurity)',
  SecurityContextDeny: 'removed in Kubernetes 1.30',
  DenyEscalatingExec: 'removed in Kubernetes 1.18',
  DenyExecOnPrivileged: 'removed in Kubernetes 1.18',
  PodPreset: 'removed in Kubernetes 1.20',
  Initializers: 'removed in Kubernetes 1.14',
};

/** `latest` or a minor version of Kubernetes 1.x. */
export type KubernetesVersion = 'latest' | { minor: number };

export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  if (text === 'latest') return 'latest';
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(text);
  return m ? { minor: Number(m[1]) } : undefined;
}

function registered(name: string, version: KubernetesVersion): boolean {
  if (!(ALL_ORDERED_PLUGINS as readonly string[]).includes(name)) return false;
  const added = ADDED_IN[name];
  return version === 'latest' || added === undefined || version.minor >= added;
}

function defaultOn(name: string, version: KubernetesVersion): boolean {
  if (!DEFAULT_ON_PLUGINS.has(name) || !registered(name, version)) return false;
  const from = DEFAULT_ON_FROM[name];
  return version === 'latest' || from === undefined || version.minor >= from;
}

export interface AdmissionFlags {
  enable: string[];
  disable: string[];
  /** The deprecated --admission-control: exactly these plugins, and no others. */
  legacy?: string[];
  configFile?: string;
}

/** Reads the admission flags from already-parsed kube-apiserver flags (last occurrence wins). */
export function admissionFlagsFrom(flags: ReadonlyMap<string, string>): AdmissionFlags {
  const list = (name: string) => {
    const v = flags.get(name);
    return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
  };
  const legacy = list('admission-control');
  const configFile = flags.get('admission-control-config-file');
  return {
    enable: list('enable-admission-plugins') ?? [],
    disable: list('disable-admission-plugins') ?? [],
    ...(legacy ? { legacy } : {}),
    ...(configFile ? { configFile } : {}),
  };
}

export interface EffectivePlugins {
  /** Plugins that run, in the API server's order. */
  enabled: string[];
  /** Why the API server would refuse these flags (it does not start). */
  problems: string[];
}

export function effectivePlugins(flags: AdmissionFlags, version: KubernetesVersion = 'latest'): EffectivePlugins {
  const problems: string[] = [];
  const unknown = (flag: string, names: string[]) => {
    for (const name of names) {
      if (registered(name, version)) continue;
      const why = REMOVED_PLUGINS[name] ?? (ADDED_IN[name] !== undefined ? `added in Kubernetes 1.${ADDED_IN[name]}` : 'not an admission plugin of Kubernetes');
      problems.push(`${flag} names ${name}, which is ${why}: the API server refuses to start`);
    }
  };
  unknown('--enable-admission-plugins', flags.enable);
  unknown('--disable-admission-plugins', flags.disable);
  let enable = flags.enable;
  let disable = flags.disable;
  if (flags.legacy) {
    unknown('--admission-control', flags.legacy);
    if (flags.enable.length || flags.disable.length) {
      problems.push('--admission-control and --enable-admission-plugins/--disable-admission-plugins are mutually exclusive: the API server refuses to start');
    }
    enable = flags.legacy;
    disable = ALL_ORDERED_PLUGINS.filter((p) => !flags.legacy!.includes(p));
  } else {
    const overlap = flags.enable.filter((p) => flags.disable.includes(p));
    if (overlap.length) problems.push(`${overlap.join(', ')} both enabled and disabled: the API server refuses to start`);
  }
  const off = new Set([...ALL_ORDERED_PLUGINS.filter((p) => !defaultOn(p, version)), ...disable]);
  for (const p of enable) off.delete(p);
  return { enabled: ALL_ORDERED_PLUGINS.filter((p) => registered(p, version) && !off.has(p)), problems };
}
