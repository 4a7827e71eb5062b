// Manifests that name no namespace (Helm output without --namespace, most kustomize bases)
// are installed into whatever namespace the user applies them to. The analyses place them in
// "default" to reason about them together; the report must not claim they are in `default`,
// so findings about them say "the namespace the objects will be installed into".

import type { Inventory } from '../inventory/inventory.js';
import { CLUSTER_SCOPED_KINDS } from '../inventory/cluster-scoped.js';
import type { Result } from '../result/result.js';

export const INSTALL_NAMESPACE_WORDS = 'the namespace the objects will be installed into';

/**
 * Rewrites "namespace default" and "default/NAME" in findings when the input has namespaced
 * objects without a namespace and none that names `default` itself (then "default" in a
 * message can only mean the install namespace). `--namespace NS` gives the objects a
 * namespace before the checks run, so nothing is rewritten then.
 */
export function sayInstallNamespace(result: Result, inventory: Inventory): void {
  let unnamespaced = false;
  for (const o of inventory.objects) {
    if (CLUSTER_SCOPED_KINDS.has(o.kind)) continue;
    if (o.namespace === 'default') return;
    if (o.namespace === undefined) unnamespaced = true;
  }
  if (!unnamespaced) return;
  for (const f of result.findings) {
    f.message = f.message
      .replace(/\bnamespace default\b/g, INSTALL_NAMESPACE_WORDS)
      .replace(/(^|[\s(,'"`])default\/(?=[a-z0-9])/g, '$1');
  }
}
