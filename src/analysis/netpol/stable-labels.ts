// Which pod labels name a workload and which name one pod or one rollout of it. A policy written
// from observed flows selects pods by the stable ones, so it keeps matching after the next
// rollout, scale-up or CronJob run; the others change with every one of those.

/** Labels set by controllers per pod or per revision (Kubernetes), dropped from selectors. */
export const UNSTABLE_LABEL_KEYS: readonly string[] = [
  'pod-template-hash', // Deployment → ReplicaSet revision
  'controller-revision-hash', // StatefulSet / DaemonSet revision
  'pod-template-generation', // DaemonSet (legacy)
  'statefulset.kubernetes.io/pod-name', // one StatefulSet pod
  'apps.kubernetes.io/pod-index', // StatefulSet ordinal (1.28+)
  'controller-uid', // one Job (legacy key)
  'batch.kubernetes.io/controller-uid',
  'job-name', // one Job of a CronJob (legacy key)
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index', // one indexed Job pod
];

/**
 * Label key prefixes the network plugin adds to its own identity of a pod, which are not pod
 * labels a NetworkPolicy can select on: Cilium's namespace, service account, cluster and
 * namespace-label copies; Calico's namespace, orchestrator and service account.
 */
export const PLUGIN_LABEL_PREFIXES: readonly string[] = ['io.kubernetes.pod.namespace', 'io.cilium.k8s.', 'projectcalico.org/'];

export function isStableLabel(key: string): boolean {
  return !UNSTABLE_LABEL_KEYS.includes(key) && !PLUGIN_LABEL_PREFIXES.some((p) => key.startsWith(p));
}

/** The labels of a pod that stay the same across its workload's pods and rollouts. */
export function stablePodLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => isStableLabel(k)));
}

/** The labels a real pod carries, without the plugin's additions (for evaluating a flow's pod against policies). */
export function podLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !PLUGIN_LABEL_PREFIXES.some((p) => k.startsWith(p))));
}
