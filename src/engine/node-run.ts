// Runs node checks over NodeFacts and builds the same Result every scan produces: one
// CheckResult per CIS item with its status and evidence, findings for what failed (a
// Process, File or Pod, located at the manifest, config file or file path), input errors.

import type { Check } from '../checks/types.js';
import type { Severity } from '../result/result.js';
import { SEVERITIES } from '../result/result.js';
import type { NodeCheck, NodeFinding, NodeOutcome } from '../checks/node/types.js';
import type { NodeFacts } from '../inventory/node-facts.js';
import { createHash } from 'node:crypto';
import type { CheckResult, Finding, InputError, Result } from '../result/result.js';
import { checkText } from './check-text.js';
import { findException, hostExceptionTarget, type ExceptionTarget } from './exceptions.js';
import { RESULT_SCHEMA_VERSION } from '../result/result.js';
import { FRAMEWORKS, runChecks, scoreFrameworks, type EngineOptions } from './run.js';
import { API_SERVER_FILE_CHECKS, KUBELET_FILE_CHECKS, loadApiServerFiles } from './node-files.js';
import { DEFAULT_SETTINGS } from './context.js';
import { TOOL_VERSION } from '../version.js';
import { locateFindings } from './locate.js';
import { inFramework, scoredFrameworks } from './framework-family.js';
import { sortFindings } from './scan.js';
import type { EngineOutput } from './run.js';

export type NodeEngineOptions = Pick<EngineOptions, 'disabled' | 'severityOverrides' | 'frameworks' | 'failOn' | 'exceptions' | 'now'> & {
  /** Checks run on the files the API server names (default API_SERVER_FILE_CHECKS). */
  fileChecks?: readonly Check[];
};

export async function runNodeChecks(facts: NodeFacts, checks: readonly NodeCheck[], target: Result['target'], options: NodeEngineOptions = {}): Promise<Result> {
  const disabled = new Set(options.disabled ?? []);
  const frameworks = options.frameworks?.length ? options.frameworks : [...FRAMEWORKS];
  const checkResults: CheckResult[] = [];
  const findings: Finding[] = [];
  const located: EngineOutput['located'] = [];
  const now = options.now ?? new Date();
  const exceptionWarnings = new Map<string, InputError>();

  for (const check of checks) {
    if (options.frameworks?.length && !check.controls.some((c) => inFramework(c, frameworks))) continue;
    const severity = options.severityOverrides?.[check.id] ?? check.severity;
    const base = { id: check.id, title: check.title, severity, category: check.category, controls: check.controls, ...checkText(check) };
    if (disabled.has(check.id)) {
      checkResults.push({ ...base, status: 'skip', passed: 0, failed: 0, reason: 'disabled in the configuration' });
      continue;
    }
    let outcome: NodeOutcome;
    try {
      outcome = evaluateNodeCheck(check, facts);
    } catch (err) {
      checkResults.push({ ...base, status: 'error', passed: 0, failed: 0, reason: `check crashed: ${(err as Error)?.message ?? String(err)}` });
      continue;
    }
    let excepted = 0;
    for (const f of outcome.findings) {
      const finding: Finding = {
        fingerprint: nodeFingerprint(check.id, f.resource.kind, f.resource.name, f.location.file, f.location.path),
        check: check.id,
        severity,
        message: f.message,
        resource: { apiVersion: f.resource.kind === 'Pod' ? 'v1' : 'node/v1', ...f.resource },
        location: { file: f.location.file, path: f.location.path },
        controls: check.controls,
        remediation: check.remediation,
        ...(f.fix ? { fix: f.fix } : {}),
      };
      const exception = findException(options.exceptions ?? [], check.id, exceptionTarget(f), now, exceptionWarnings);
      if (exception) {
        finding.exception = exception;
        excepted++;
      }
      findings.push(finding);
      if (f.location.object && f.location.segments) {
        located.push({ finding, object: f.location.object, path: [...f.location.object.source.pathInDoc, ...f.location.segments] });
      }
    }
    // Excepted findings do not count; an item whose every failure is excepted passes, as in a manifest scan.
    const failed = (outcome.failed ?? outcome.findings.length) - excepted;
    const allExcepted = excepted > 0 && failed === 0;
    checkResults.push({
      ...base,
      status: allExcepted ? 'pass' : outcome.status,
      passed: outcome.status === 'pass' || allExcepted ? outcome.evaluated : Math.max(0, outcome.evaluated - failed),
      failed,
      reason: excepted ? `${excepted} finding(s) covered by exceptions; ${outcome.reason}` : outcome.reason,
      evidence: outcome.evidence,
    });
  }

  await locateFindings(located, manifestTexts(facts, located));
  const errors = [...facts.errors, ...exceptionWarnings.values()];
  if (facts.mode === 'node') {
    const files = await runFileChecks(facts, target, options);
    checkResults.push(...files.checks);
    findings.push(...files.findings);
    errors.push(...files.errors);
  }
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (!f.exception) counts[f.severity]++;
  const result: Result = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'kubeharden', version: TOOL_VERSION },
    target,
    settings: { pssLevel: DEFAULT_SETTINGS.pssLevel, pssVersion: DEFAULT_SETTINGS.pssVersion, failOn: options.failOn ?? 'high', frameworks: [...frameworks] },
    summary: { objects: countObjects(facts), findings: counts, excepted: findings.filter((f) => f.exception).length, frameworks: scoreFrameworks(checkResults, scoredFrameworks(checkResults, frameworks)) },
    checks: checkResults,
    findings,
    errors,
  };
  sortFindings(result);
  return result;
}

/**
 * The secrets and audit checks on the files the API server names, and config-file-decodes on
 * those and the kubelet's config files, with their line numbers. On a node without such an API
 * server file (a worker) only config-file-decodes runs; nothing when no file was read.
 */
async function runFileChecks(facts: NodeFacts, target: Result['target'], options: NodeEngineOptions): Promise<Pick<Result, 'checks' | 'findings' | 'errors'>> {
  const files = loadApiServerFiles(facts);
  if (files.texts.size === 0) return { checks: [], findings: [], errors: [] };
  const all = options.fileChecks ?? API_SERVER_FILE_CHECKS;
  const checks = files.apiServerFiles ? all : all.filter((c) => KUBELET_FILE_CHECKS.includes(c));
  const { result, located } = runChecks(files.inventory, checks, target, options);
  await locateFindings(located, files.texts);
  return result;
}

/**
 * What exception rules match a node finding against: the static pod or config object when the
 * finding is in one (its kubeharden.io/ignore annotation counts too), else the process or file
 * by kind and name (`Process` kube-apiserver, without its pid; `File` /etc/kubernetes/...).
 */
function exceptionTarget(f: NodeFinding): ExceptionTarget {
  if (f.location.object) return f.location.object;
  return hostExceptionTarget(f.resource);
}

/** Manifest texts come from the host (under --root the host path is not the real path). */
function manifestTexts(facts: NodeFacts, located: EngineOutput['located']): Map<string, string> {
  const texts = new Map<string, string>();
  for (const { object } of located) {
    const file = object.source.file;
    if (texts.has(file) || !facts.host) continue;
    const read = facts.host.readText(file);
    if (read.ok) texts.set(file, read.text);
  }
  return texts;
}

function countObjects(facts: NodeFacts): number {
  let n = 0;
  for (const list of facts.components.values()) n += list.length;
  return n;
}

/** Stable across runs: process ids are left out (a restarted component keeps its findings' identity). */
function nodeFingerprint(...parts: string[]): string {
  const stable = parts.map((p) => p.replace(/ \(pid \d+\)$/, '').replace(/^\/proc\/\d+\//, '/proc/PID/'));
  return createHash('sha256').update(stable.join('\u0000')).digest('hex').slice(0, 16);
}

/** A node check evaluated over the recorded host files only (see RecordedHost): the check does no I/O. */
function evaluateNodeCheck(check: NodeCheck, facts: NodeFacts): NodeOutcome {
  return facts.host ? facts.host.evaluateRecorded(() => check.evaluateNode(facts)) : check.evaluateNode(facts);
}
