// Which ServiceAccount a pod runs as, decided as the API server (and, for custom resources, the
// operator that makes the pods) decides it.

import type { PodTarget } from '../../inventory/model.js';

export type PodServiceAccount =
  /** `from`: the field that names it; undefined when none does and the API server's `default` applies. */
  | { name: string; from?: 'serviceAccountName' | 'serviceAccount' }
  /**
   * Set by the operator that makes the pods (PodTarget.operatorServiceAccount); no name when it
   * is derived from a name the operator generates at run time.
   */
  | { name: string | undefined; from: 'operator' };

/**
 * `serviceAccountName`, else the one the operator sets (it writes serviceAccountName, so the
 * deprecated field no longer counts), else the deprecated `serviceAccount` (the API server copies
 * it over), else `default`. An empty string counts as unset, as it does for the API server.
 */
export function podServiceAccount(pod: Pick<PodTarget, 'spec' | 'operatorServiceAccount'>): PodServiceAccount {
  const { serviceAccountName, serviceAccount } = pod.spec;
  if (typeof serviceAccountName === 'string' && serviceAccountName !== '') return { name: serviceAccountName, from: 'serviceAccountName' };
  if (pod.operatorServiceAccount) return { name: pod.operatorServiceAccount.name, from: 'operator' };
  if (typeof serviceAccount === 'string' && serviceAccount !== '') return { name: serviceAccount, from: 'serviceAccount' };
  return { name: 'default' };
}

/** The annotation the kubelet puts on the API copy (mirror pod) of a static pod. */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * A mirror pod runs under no ServiceAccount and gets no token: the ServiceAccount admission
 * plugin forbids it to reference one, a Secret or a token projection, and sets none
 * (plugin/pkg/admission/serviceaccount/admission.go, "a mirror pod may not reference service
 * accounts"). Live scans see static pods (the control plane's among them) this way.
 */
export function isMirrorPod(pod: Pick<PodTarget, 'object'>): boolean {
  return pod.object.kind === 'Pod' && pod.object.group === '' && MIRROR_POD_ANNOTATION in pod.object.annotations;
}
