// Judges one object as `kubeharden scan` would judge a file holding only that object: the same
// engine (runChecks), the same config (disabled checks, severity overrides, exceptions and the
// inline kubeharden.io/ignore annotation), the same --fail-on threshold as exitCodeFor — limited
// to the checks that can decide from one object (single-object-checks.ts).

import { Inventory, toInventoryObject } from '../inventory/inventory.js';
import { isMapping } from '../inventory/model.js';
import { isPodBearing } from '../inventory/pod-specs.js';
import type { Finding } from '../result/result.js';
import { runChecks, type EngineOptions } from '../engine/run.js';
import { sortFindings } from '../engine/scan.js';
import { blockingFindings, type FailOn } from '../engine/fail-on.js';

export { blockingFindings, type FailOn };
import { SINGLE_OBJECT_CHECKS } from './single-object-checks.js';

export interface JudgeOptions extends EngineOptions {
  failOn: FailOn;
}

export type Judgement =
  /** Not a pod-bearing kind: nothing to evaluate. */
  | { evaluated: false }
  /**
   * `blocking`: findings that no exception covers, at or above --fail-on (what makes a scan exit 1).
   * `problems`: why the object could not be fully evaluated (what makes a scan exit 2).
   */
  | { evaluated: true; blocking: Finding[]; problems: string[] };

/**
 * `namespace` is the request's namespace: the API server puts it there, while the object itself
 * may leave metadata.namespace out (the client named it in the URL). It fills in only a missing
 * namespace, so an object that states its namespace is judged exactly as its file would be.
 */
export function judgeObject(raw: Record<string, unknown>, namespace: string | undefined, options: JudgeOptions): Judgement {
  const object = withNamespace(raw, namespace);
  const read = toInventoryObject(object, { file: 'admission request', doc: 0, line: 0, pathInDoc: [] }, 0);
  if ('problem' in read) return { evaluated: true, blocking: [], problems: [read.problem] };
  if (!isPodBearing(read.object)) return { evaluated: false };
  const inventory = new Inventory();
  inventory.add(read.object);
  const { result } = runChecks(inventory, SINGLE_OBJECT_CHECKS, { type: 'manifests', admission: true }, options);
  sortFindings(result);
  const problems = result.errors.filter((e) => e.level === 'error').map((e) => e.message);
  return { evaluated: true, blocking: blockingFindings(result.findings, options.failOn), problems };
}

function withNamespace(raw: Record<string, unknown>, namespace: string | undefined): Record<string, unknown> {
  const metadata = raw.metadata ?? {};
  if (!namespace || !isMapping(metadata) || metadata.namespace !== undefined) return raw;
  return { ...raw, metadata: { ...metadata, namespace } };
}
