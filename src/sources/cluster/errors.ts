/** The cluster cannot be read at all (no kubeconfig, unreachable, bad credentials…). */
export class ClusterSourceError extends Error {}
