// Runs checks over an inventory and builds the Result: applies the config (enabled checks,
// severity overrides, PSS level), exceptions, and framework scores. Positions (line and
// column) are filled afterwards by locate.ts, only for the findings that are reported.

import { fingerprint } from '../result/fingerprint.js';
import { StringPool } from '../result/compact-strings.js';
import type { Check, CheckContext, LocatedFinding, Violation } from '../checks/types.js';
import type { Severity } from '../result/result.js';
import { SEVERITIES } from '../result/result.js';
import type { Inventory, KindsRead } from '../inventory/inventory.js';
import { countObjects, formatPath, parsePath, type InventoryObject, type PathSegment } from '../inventory/model.js';
import { makeCheckContext, type ScanSettings, DEFAULT_SETTINGS } from './context.js';
import { findException, type ExceptionRule } from './exceptions.js';
import { checkText } from './check-text.js';
import type { CheckResult, Finding, FrameworkScore, InputError, Location, Result } from '../result/result.js';
import { RESULT_SCHEMA_VERSION } from '../result/result.js';
import { TOOL_VERSION } from '../version.js';

export const FRAMEWORKS = ['cis', 'nsa', 'pss'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface EngineOptions {
  settings?: Partial<ScanSettings>;
  /** Check ids turned off by the config. */
  disabled?: Iterable<string>;
  /** Opt-in check ids turned on by the config. */
  enabled?: Iterable<string>;
  severityOverrides?: Record<string, Severity>;
  exceptions?: ExceptionRule[];
  /** Only run checks with a control in one of these frameworks (default: all). */
  frameworks?: Framework[];
  failOn?: Severity | 'none';
  /** "today" for exception expiry; injectable for tests. */
  now?: Date;
}

export interface EngineOutput {
  result: Result;
  /** Findings paired with their object, so positions can be resolved afterwards (empty when not asked for). */
  located: LocatedFinding[];
}

/**
 * `locate: false` when nothing will look for the findings' lines (objects read from a live
 * cluster or an admission request have no text): the pairs are then not kept, which is about
 * a third of what the findings of a live scan hold (measured: 14 of 42 MiB at 10,000 objects).
 */
export function runChecks(
  inventory: Inventory,
  checks: readonly Check[],
  target: Result['target'],
  options: EngineOptions = {},
  { locate = true }: { locate?: boolean } = {},
): EngineOutput {
  const settings: ScanSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const ctx = makeCheckContext(inventory, settings);
  const disabled = new Set(options.disabled ?? []);
  const enabled = new Set(options.enabled ?? []);
  const frameworks = options.frameworks?.length ? options.frameworks : [...FRAMEWORKS];
  const now = options.now ?? new Date();
  const exceptionWarnings = new Map<string, InputError>();

  const checkResults: CheckResult[] = [];
  const findings: Finding[] = [];
  const located: EngineOutput['located'] = [];
  // Findings repeat messages and remediations word for word (a third of the messages and all
  // but a few dozen remediations on the real corpus): one copy of each is kept.
  const strings = new StringPool();
  const locations = new Locations();

  for (const check of checks) {
    if (!check.controls.some((c) => frameworks.includes(c.split(':')[0] as Framework)) && options.frameworks?.length) continue;
    const severity = options.severityOverrides?.[check.id] ?? check.severity;
    const base: CheckResult = {
      id: check.id,
      title: check.title,
      severity,
      category: check.category,
      status: 'pass',
      controls: check.controls,
      passed: 0,
      failed: 0,
      ...checkText(check),
    };
    const skipReason = whySkipped(check, settings, disabled, enabled, checks);
    if (skipReason) {
      checkResults.push({ ...base, status: 'skip', reason: skipReason });
      continue;
    }

    let outcome:
      | { evaluated: number; violations: { violation: Violation; object: InventoryObject }[]; failedElsewhere?: { count: number; reason: string } }
      | { skip: string }
      | { manual: string }
      | { error: string };
    let read: KindsRead = new Set();
    try {
      ({ value: outcome, read } = inventory.trackReads(() => evaluate(check, inventory, ctx)));
    } catch (err) {
      outcome = { error: `check crashed: ${(err as Error)?.message ?? String(err)}` };
    }
    // A check that read a kind the source could not see decides nothing by passing.
    const unseen = unseenKinds(inventory, check.needs, read);
    if ('skip' in outcome || (unseen && 'violations' in outcome && outcome.violations.length === 0)) {
      checkResults.push({ ...base, status: 'skip', reason: unseen ?? (outcome as { skip: string }).skip });
      continue;
    }
    if ('manual' in outcome) {
      checkResults.push({ ...base, status: 'manual', reason: outcome.manual });
      continue;
    }
    if ('error' in outcome) {
      checkResults.push({ ...base, status: 'error', reason: outcome.error });
      continue;
    }

    const failedObjects = new Set<number>();
    let excepted = 0;
    for (const { violation, object } of outcome.violations) {
      const finding = toFinding(check, severity, violation, object, strings, locations);
      const exception = findException(options.exceptions ?? [], check.id, object, now, exceptionWarnings, settings.allowInlineIgnores);
      if (exception) {
        finding.exception = exception;
        excepted++;
      } else {
        failedObjects.add(object.id);
      }
      findings.push(finding);
      if (locate) located.push(new FindingOfObject(finding, object));
    }
    const failed = failedObjects.size + (outcome.failedElsewhere?.count ?? 0);
    const result: CheckResult = { ...base, passed: Math.max(0, outcome.evaluated - failed), failed };
    if (failed > 0) {
      result.status = check.failStatus ?? 'fail';
      if (outcome.failedElsewhere) result.reason = outcome.failedElsewhere.reason;
    } else if (outcome.evaluated === 0) {
      result.status = 'skip';
      result.reason = `nothing to check: the input has no ${check.appliesTo}`;
    } else if (excepted > 0) result.reason = `${excepted} finding(s) covered by exceptions`;
    if (unseen) result.reason = `incomplete: ${unseen}` + (result.reason ? `; ${result.reason}` : '');
    checkResults.push(result);
  }

  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (!f.exception) counts[f.severity]++;

  const errors: InputError[] = [...inventory.problems, ...exceptionWarnings.values()];
  const result: Result = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'kubeharden', version: TOOL_VERSION },
    target,
    settings: {
      pssLevel: settings.pssLevel,
      pssVersion: settings.pssVersion,
      failOn: options.failOn ?? 'high',
      frameworks: [...frameworks],
    },
    summary: {
      objects: inventory.size,
      findings: counts,
      excepted: findings.filter((f) => f.exception).length,
      frameworks: scoreFrameworks(checkResults, frameworks),
    },
    checks: checkResults,
    findings,
    errors,
  };
  return { result, located };
}

function whySkipped(
  check: Check,
  settings: ScanSettings,
  disabled: Set<string>,
  enabled: Set<string>,
  running: readonly Check[],
): string | undefined {
  if (disabled.has(check.id)) return 'disabled in the configuration';
  if (check.optIn && !enabled.has(check.id)) return 'opt-in check; enable it in the configuration';
  const by = check.subsumedAtRestrictedBy;
  if (by && settings.pssLevel === 'restricted' && !disabled.has(by) && running.some((c) => c.id === by)) {
    return `at the restricted level ${by} reports everything this check would`;
  }
  if (check.pss) {
    if (check.pss.level === 'restricted' && settings.pssLevel === 'baseline') {
      return 'restricted-level check; the scan is at the baseline level';
    }
    if (check.pss.overriddenBy && settings.pssLevel === 'restricted') {
      return `at the restricted level the stricter ${check.pss.overriddenBy} check replaces this one`;
    }
  }
  return undefined;
}

/** Why the check cannot decide: the kinds it needs or read that the source could not read; undefined when it saw everything. */
function unseenKinds(inventory: Inventory, needs: readonly string[] | undefined, read: KindsRead): string | undefined {
  if (inventory.unavailable.size === 0) return undefined;
  const missing = [...inventory.unavailable.values()].filter(
    (u) => read === 'all' || read.has(u.kind) || (needs?.includes(u.kind) ?? false),
  );
  if (missing.length === 0) return undefined;
  return 'could not read ' + missing.map((u) => `${u.kind} (${u.reason}${u.permission ? `; needs ${u.permission}` : ''})`).join(', ');
}

function evaluate(
  check: Check,
  inventory: Inventory,
  ctx: CheckContext,
): { evaluated: number; violations: { violation: Violation; object: InventoryObject }[]; failedElsewhere?: { count: number; reason: string } } | { skip: string } | { manual: string } {
  const violations: { violation: Violation; object: InventoryObject }[] = [];
  switch (check.scope) {
    case 'pod': {
      // An object with several pod templates is one object: it passes when all of them do, and a
      // violation of the object itself (its namespace) that each template repeats is reported once.
      const fromEarlierTemplates = new Set<string>();
      for (const pod of inventory.pods) {
        const keys: string[] = [];
        for (const v of check.evaluate(pod, ctx)) {
          const key = `${pod.object.id}\u0000${formatPath(v.path)}`;
          if (fromEarlierTemplates.has(key)) continue;
          keys.push(key);
          violations.push({ violation: v, object: pod.object });
        }
        if (pod.part !== undefined) for (const key of keys) fromEarlierTemplates.add(key);
      }
      return { evaluated: countObjects(inventory.pods), violations };
    }
    case 'object': {
      let evaluated = 0;
      for (const kind of check.kinds) {
        for (const obj of inventory.ofKind(kind)) {
          evaluated++;
          for (const v of check.evaluate(obj, ctx)) violations.push({ violation: v, object: obj });
        }
      }
      return { evaluated, violations };
    }
    case 'inventory': {
      const outcome = check.evaluate(inventory, ctx);
      if ('skip' in outcome || 'manual' in outcome) return outcome;
      for (const v of outcome.violations) {
        if (!v.object) throw new Error(`inventory check ${check.id} reported a violation without its object`);
        violations.push({ violation: v, object: v.object });
      }
      return { evaluated: outcome.evaluated, violations, ...(outcome.failedElsewhere ? { failedElsewhere: outcome.failedElsewhere } : {}) };
    }
  }
}

/**
 * A finding and its object, for positions and fixes. The field path is read back from the
 * finding's path text when asked for (once, by the position finder) rather than kept as an
 * array per finding: measured, the arrays were most of the 230 bytes a pair held.
 */
class FindingOfObject implements LocatedFinding {
  constructor(
    readonly finding: Finding,
    readonly object: InventoryObject,
  ) {}

  get path(): PathSegment[] {
    const own = parsePath(this.finding.location.path);
    const inDoc = this.object.source.pathInDoc;
    return inDoc.length ? [...inDoc, ...own] : own;
  }
}

/**
 * One location per file and field path, shared by the findings that have it: in a large scan
 * many objects of one file or one live resource have a finding at the same path
 * (`spec.template.spec.containers[0].resources.limits.cpu`). Read-only: positions replace a
 * finding's location rather than change it.
 */
class Locations {
  private readonly byFile = new Map<string, Map<string, Location>>();

  of(file: string, path: string): Location {
    let paths = this.byFile.get(file);
    if (!paths) this.byFile.set(file, (paths = new Map()));
    let location = paths.get(path);
    if (!location) paths.set(path, (location = { file, path }));
    return location;
  }
}

function toFinding(check: Check, severity: Severity, v: Violation, object: InventoryObject, strings: StringPool, locations: Locations): Finding {
  const path = strings.intern(formatPath(v.path));
  const location = locations.of(object.source.origin ?? object.source.file, path);
  const remediation = v.remediation === undefined ? check.remediation : strings.intern(v.remediation);
  // Written whole, with or without `fix`, rather than adding `fix` afterwards: V8 gives a
  // property added later its own store (32 bytes more per finding, measured).
  const id = fingerprint(check.id, object, path);
  const message = strings.intern(v.message);
  const resource = resourceRef(object);
  return v.fix?.length
    ? { fingerprint: id, check: check.id, severity, message, resource, location, controls: check.controls, remediation, fix: strings.internValue(v.fix) }
    : { fingerprint: id, check: check.id, severity, message, resource, location, controls: check.controls, remediation };
}

const resourceRefs = new WeakMap<InventoryObject, Finding['resource']>();

/** One shared (read-only) resource reference per object: large scans have many findings per object. */
function resourceRef(object: InventoryObject): Finding['resource'] {
  let ref = resourceRefs.get(object);
  if (!ref) {
    ref = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      ...(object.namespace !== undefined ? { namespace: object.namespace } : {}),
      name: object.name,
    };
    resourceRefs.set(object, ref);
  }
  return ref;
}

/**
 * A control passes when every check that maps to it passed, fails when any failed, and is
 * manual when a check says a human must look. Skipped checks decide nothing.
 */
export function scoreFrameworks(checks: CheckResult[], frameworks: readonly string[]): Record<string, FrameworkScore> {
  const perControl = new Map<string, Set<string>>();
  for (const c of checks) {
    for (const control of c.controls) {
      let statuses = perControl.get(control);
      if (!statuses) perControl.set(control, (statuses = new Set()));
      statuses.add(c.status);
    }
  }
  const scores: Record<string, FrameworkScore> = {};
  for (const fw of frameworks) {
    const score: FrameworkScore = { pass: 0, fail: 0, manual: 0, score: 0 };
    for (const [control, statuses] of perControl) {
      if (!control.startsWith(fw + ':')) continue;
      if (statuses.has('fail') || statuses.has('error')) score.fail++;
      else if (statuses.has('manual') || statuses.has('warn')) score.manual++;
      else if (statuses.has('pass')) score.pass++;
    }
    const decided = score.pass + score.fail;
    score.score = decided ? Math.round((score.pass / decided) * 1000) / 10 : 0;
    scores[fw] = score;
  }
  return scores;
}
