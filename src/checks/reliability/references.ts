// Dangling references, judged only where the input can know. A name that is absent from a
// partial input may well exist in the cluster (created by another chart or by an operator), so
// a reference is reported only when it is a near miss of an object of the same kind in the same
// namespace — a typo — as network-policy-selects-pods does for labels.

import { nearestName } from '../../analysis/near-miss.js';
import type { Inventory } from '../../inventory/inventory.js';

export type Reference =
  | { found: true }
  /** A typo: the object it most likely meant. */
  | { found: false; meant: string }
  /** Not in the input, and not a near miss: it may exist elsewhere, so it is not judged. */
  | { found: false; meant?: undefined };

export function resolveReference(inventory: Inventory, kind: string, namespace: string | undefined, name: string): Reference {
  if (inventory.find(kind, namespace, name)) return { found: true };
  const meant = nearestName(name, inventory.inNamespace(kind, namespace).map((o) => o.name));
  return meant ? { found: false, meant } : { found: false };
}

/** For a label selector that matches nothing: the one label of some candidate it nearly matches. */
export function nearMissLabel(selector: Record<string, string>, candidates: Record<string, string>[]): { key: string; wanted: string; labels: Record<string, string> } | undefined {
  const entries = Object.entries(selector);
  for (const labels of candidates) {
    // The one selector entry this candidate does not match, if exactly one (counted without a
    // list per candidate: a Service is compared with every pod template of its namespace).
    let wrong: [string, string] | undefined;
    let wrongCount = 0;
    for (const entry of entries) {
      if (labels[entry[0]] === entry[1]) continue;
      wrong = entry;
      if (++wrongCount > 1) break;
    }
    if (wrongCount !== 1) continue;
    const [k, v] = wrong!;
    if (labels[k] !== undefined && nearestName(v, [labels[k]!])) return { key: k, wanted: `${k}=${labels[k]}`, labels };
    const key = nearestName(k, Object.keys(labels).filter((x) => !(x in selector)));
    if (key && labels[key] === v) return { key: k, wanted: `${key}=${v}`, labels };
  }
  return undefined;
}
