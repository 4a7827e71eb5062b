// Resource selectors shared by the config's exceptions and its "untrusted workloads" list.

import type { InventoryObject } from '../inventory/model.js';

export interface ResourceSelector {
  kind?: string;
  /** Exact name or a glob with `*`. */
  namespace?: string;
  /** Exact name or a glob with `*`. */
  name?: string;
  /** Every label listed must be present with this value (on the object or its pod template). */
  labels?: Record<string, string>;
}

export function matchesSelector(
  selector: ResourceSelector,
  obj: Pick<InventoryObject, 'kind' | 'name' | 'namespace' | 'labels'>,
  extraLabels?: Record<string, string>,
): boolean {
  if (selector.kind !== undefined && selector.kind !== obj.kind) return false;
  if (selector.namespace !== undefined && !globMatch(selector.namespace, obj.namespace ?? '')) return false;
  if (selector.name !== undefined && !globMatch(selector.name, obj.name)) return false;
  if (selector.labels) {
    for (const [k, v] of Object.entries(selector.labels)) {
      if (obj.labels[k] !== v && extraLabels?.[k] !== v) return false;
    }
  }
  return true;
}

/**
 * `*` matches any run of characters. Matched without a regular expression: a pattern such as
 * `*a*a*a*a*b` is exponential for a backtracking engine; this two-pointer walk, which only ever
 * goes back to the last `*`, takes at most pattern length × value length steps.
 */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = v;
    } else if (p < pattern.length && pattern[p] === value[v]) {
      p++;
      v++;
    } else if (star !== -1) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
