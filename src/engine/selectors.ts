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

const globCache = new Map<string, RegExp>();

function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp('^' + pattern.split('*').map(escapeRegExp).join('.*') + '$');
    globCache.set(pattern, re);
  }
  return re.test(value);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
