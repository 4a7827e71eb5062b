// Judges one object as `kubeharden scan` would judge a file holding only that object: the same
// engine (runChecks), the same config (disabled checks, severity overrides, exceptions), the same
// --fail-on threshold as exitCodeFor — limited to the checks that can decide from one object
// (single-object-checks.ts).
//
// Two differences, both because the object's author is the one being judged: the inline
// kubeharden.io/ignore annotation is never honoured (an author would exempt their own object;
// exceptions come from the operator's config only, as Pod Security Admission takes exemptions only
// from its AdmissionConfiguration), and the work per object is bounded (an object with more
// containers than the limit is refused as too large to evaluate, not judged for seconds).

import { Inventory, toInventoryObject } from '../inventory/inventory.js';
import { isMapping } from '../inventory/model.js';
import { isPodBearing } from '../inventory/pod-specs.js';
import type { Finding } from '../result/result.js';
import { runChecks, type EngineOptions } from '../engine/run.js';
import { sortFindings } from '../engine/scan.js';
import { blockingFindings, crashedChecks, whyNotRun, type FailOn } from '../result/fail-on.js';

export { blockingFindings, type FailOn };
import { SINGLE_OBJECT_CHECKS } from './single-object-checks.js';
import type { Check } from '../checks/types.js';

export interface JudgeOptions extends EngineOptions {
  failOn: FailOn;
  /** Pods (and templates) whose runtimeClassName is one of these are admitted unjudged. */
  exemptRuntimeClasses?: readonly string[];
  /** Most containers (of every list, in every template) judged in one object. */
  maxContainers?: number;
  /** The checks to run (default: every single-object check); tests give one that crashes, which no real check does on purpose. */
  checks?: readonly Check[];
}

/**
 * Judging takes about a millisecond per hundred containers; a Pod with more than this many is
 * refused as too large to evaluate. Real workloads have a handful; 250 keeps the worst request
 * well inside the API server's timeout.
 */
export const DEFAULT_MAX_CONTAINERS = 250;

export type Judgement =
  /** Not a pod-bearing kind: nothing to evaluate. */
  | { evaluated: false }
  /**
   * `blocking`: findings that no exception covers, at or above --fail-on (what makes a scan exit 1).
   * `problems`: why the object could not be fully evaluated (what makes a scan exit 2).
   */
  | { evaluated: true; blocking: Finding[]; problems: string[] }
  /** Admitted unjudged by an exemption of the operator's config. */
  | { evaluated: false; exempt: string }
  /** Refused unjudged: more work than one request may cost. */
  | { evaluated: false; tooLarge: string };

/**
 * `namespace` is the request's namespace: the API server puts it there, while the object itself
 * may leave metadata.namespace out (the client named it in the URL). It fills in only a missing
 * namespace, so an object that states its namespace is judged exactly as its file would be.
 */
export function judgeObject(raw: Record<string, unknown>, namespace: string | undefined, options: JudgeOptions): Judgement {
  const limit = options.maxContainers ?? DEFAULT_MAX_CONTAINERS;
  // First a cheap count on the object as sent, before any copy: a hostile object is refused
  // for the price of one walk. (Counted again below on the pod specs themselves.)
  const sent = countContainerEntries(raw, limit);
  if (sent > limit) return { evaluated: false, tooLarge: tooLarge(sent, limit) };
  const object = withNamespace(raw, namespace);
  const read = toInventoryObject(object, { file: 'admission request', doc: 0, line: 0, pathInDoc: [] }, 0);
  if ('problem' in read) return { evaluated: true, blocking: [], problems: [read.problem] };
  if (!isPodBearing(read.object)) return { evaluated: false };
  const inventory = new Inventory();
  inventory.add(read.object);
  const pods = inventory.pods;
  const exempt = options.exemptRuntimeClasses ?? [];
  if (pods.length > 0 && exempt.length > 0 && pods.every((p) => typeof p.spec.runtimeClassName === 'string' && exempt.includes(p.spec.runtimeClassName))) {
    return { evaluated: false, exempt: `runtime class ${String(pods[0]!.spec.runtimeClassName)} is exempt in the configuration` };
  }
  let containers = 0;
  for (const pod of pods) for (const list of CONTAINER_LISTS) if (Array.isArray(pod.spec[list])) containers += (pod.spec[list] as unknown[]).length;
  if (containers > limit) return { evaluated: false, tooLarge: tooLarge(containers, limit) };
  const settings = { ...options.settings, allowInlineIgnores: false };
  const { result } = runChecks(inventory, options.checks ?? SINGLE_OBJECT_CHECKS, { type: 'manifests', admission: true }, { ...options, settings }, { locate: false });
  sortFindings(result);
  // A check that crashed judged nothing: the object is not admitted as if it had passed it.
  const problems = [
    ...result.errors.filter((e) => e.level === 'error').map((e) => e.message),
    ...crashedChecks(result.checks).map((c) => `${c.id} could not run (${whyNotRun(c)})`),
  ];
  return { evaluated: true, blocking: blockingFindings(result.findings, options.failOn), problems };
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function tooLarge(containers: number, limit: number): string {
  return `too large to evaluate: ${containers} containers, over the limit of ${limit} (the webhook's --max-containers)`;
}

/**
 * Entries of every `containers`, `initContainers` and `ephemeralContainers` list anywhere in the
 * object (without recursion, stopping past `limit`): at least what the pod specs hold.
 */
function countContainerEntries(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length && count <= limit) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const item of v) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      if (Array.isArray(child) && (CONTAINER_LISTS as readonly string[]).includes(key)) count += child.length;
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return count;
}

function withNamespace(raw: Record<string, unknown>, namespace: string | undefined): Record<string, unknown> {
  const metadata = raw.metadata ?? {};
  if (!namespace || !isMapping(metadata) || metadata.namespace !== undefined) return raw;
  return { ...raw, metadata: { ...metadata, namespace } };
}
