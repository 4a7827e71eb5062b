// Small facts about pod specs shared by the Linux-only checks.

import { isMapping, type ContainerRef } from '../../inventory/model.js';

/**
 * Pods with spec.os.name: windows cannot set Linux-only fields (runAsGroup, capabilities…): the API
 * rejects them, and the Pod Security Admission library skips those checks for such pods too.
 */
export { isWindowsPod } from '../../analysis/pod/security-context.js';

/** The entries of securityContext.capabilities.add or .drop with their index (non-strings left out). */
export function capabilityEntries(c: ContainerRef, list: 'add' | 'drop'): { name: string; index: number }[] {
  const sc = c.container.securityContext;
  const caps = isMapping(sc) ? sc.capabilities : undefined;
  const items = isMapping(caps) ? caps[list] : undefined;
  if (!Array.isArray(items)) return [];
  return items.flatMap((name, index) => (typeof name === 'string' ? [{ name, index }] : []));
}

/**
 * The capability a runtime would act on: containerd upper-cases names and prefixes CAP_, so
 * "sys_admin" grants CAP_SYS_ADMIN. Kubernetes itself (and Pod Security Admission) compares names exactly.
 */
export function runtimeCapabilityName(name: string): string {
  return name.toUpperCase();
}
