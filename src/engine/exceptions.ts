// Exceptions: findings the user has accepted, with a reason. From the config file (a check,
// a resource selector, a reason, an optional expiry date) or inline on the object
// (annotation `kubeharden.io/ignore: "CHECK-ID: reason"`, one per line).
// An excepted finding stays in the result, marked, and does not count.

import type { InventoryObject } from '../inventory/model.js';
import { matchesSelector, type ResourceSelector } from './selectors.js';
import type { InputError } from '../result/result.js';

const IGNORE_ANNOTATION = 'kubeharden.io/ignore';

export interface ExceptionRule {
  /** A check id, or `*` for every check. */
  check: string;
  resource: ResourceSelector;
  reason: string;
  /** YYYY-MM-DD; the exception stops applying after this day. */
  expires?: string;
  /** Where the rule was written, for the report: `.kubeharden.yaml exceptions[2]`. */
  source: string;
}

/** What an exception is matched against: an object of the input, or a node's process or file. */
export type ExceptionTarget = Pick<InventoryObject, 'kind' | 'name' | 'namespace' | 'labels' | 'annotations'>;

/**
 * A node's process or file as exceptions match it: by kind and name (`Process` kube-apiserver,
 * without its pid, so a restart keeps the exception; `File` /etc/kubernetes/...).
 */
export function hostExceptionTarget(resource: { kind: string; name: string; namespace?: string }): ExceptionTarget {
  return { kind: resource.kind, name: resource.name.replace(/ \(pid \d+\)$/, ''), namespace: resource.namespace ?? '', labels: {}, annotations: {} };
}

export function findException(
  rules: readonly ExceptionRule[],
  checkId: string,
  object: ExceptionTarget,
  now: Date,
  warnings: Map<string, InputError>,
): { reason: string; expires?: string; source: string } | undefined {
  const inline = inlineExceptions(object).find((e) => e.check === checkId || e.check === '*');
  if (inline) return { reason: inline.reason, source: `annotation ${IGNORE_ANNOTATION} on ${object.kind} ${object.name}` };

  for (const rule of rules) {
    if (rule.check !== checkId && rule.check !== '*') continue;
    if (!matchesSelector(rule.resource, object)) continue;
    if (rule.expires && isExpired(rule.expires, now)) {
      warnings.set(rule.source, {
        source: rule.source,
        message: `exception for ${rule.check} expired on ${rule.expires}; its findings are reported again (reason was: ${rule.reason})`,
        level: 'warning',
      });
      continue;
    }
    return { reason: rule.reason, ...(rule.expires ? { expires: rule.expires } : {}), source: rule.source };
  }
  return undefined;
}

/** An exception is valid through the whole of its expiry day (UTC). */
function isExpired(expires: string, now: Date): boolean {
  const end = Date.parse(expires + 'T23:59:59.999Z');
  return Number.isNaN(end) || now.getTime() > end;
}

const inlineCache = new WeakMap<ExceptionTarget, { check: string; reason: string }[]>();

function inlineExceptions(object: ExceptionTarget): { check: string; reason: string }[] {
  let list = inlineCache.get(object);
  if (list) return list;
  list = [];
  const text = object.annotations[IGNORE_ANNOTATION];
  if (text) {
    for (const line of text.split(/\n|;/)) {
      const m = /^\s*([a-z0-9*][a-z0-9-]*)\s*:\s*(\S.*?)\s*$/.exec(line);
      // An inline exception without a reason is not honoured: the reason is mandatory.
      if (m) list.push({ check: m[1] as string, reason: m[2] as string });
    }
  }
  inlineCache.set(object, list);
  return list;
}
