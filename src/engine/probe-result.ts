// The Result of a live probe (`etcd probe`, `probe apiserver`): the same contract as a scan,
// with the CIS and NSA frameworks scored (probes have no Pod Security checks).

import { TOOL_VERSION } from '../version.js';
import { DEFAULT_SETTINGS } from './context.js';
import { RESULT_SCHEMA_VERSION, type CheckResult, type Finding, type InputError, type Result } from '../result/result.js';
import { scoreFrameworks } from './run.js';
import { SEVERITIES, type Category, type Severity } from '../result/result.js';
import { fingerprint } from '../result/fingerprint.js';
import type { ProbeJudgeOptions, ProbeOutcome } from '../checks/templates/probe.js';
import { judgeEtcdProbe } from '../checks/probes/etcd.js';
import { judgeApiServerProbe } from '../checks/probes/apiserver.js';
import type { ApiServerProbeReport, ProbeReport } from '../inventory/probe-observations.js';

export type ProbeResultOptions = ProbeJudgeOptions & { failOn: string };

/** The Result of `etcd probe`. */
export function probeResult(report: ProbeReport, options: ProbeResultOptions): Result {
  const { checks, findings } = fromOutcomes(judgeEtcdProbe(report, options), 'etcd');
  return buildProbeResult({
    target: { type: 'cluster', source: 'etcd', endpoints: report.endpoints.map((e) => e.url) },
    failOn: options.failOn,
    objects: report.secrets?.total ?? 0,
    checks,
    findings,
    errors: report.endpoints.filter((e) => e.error).map((e) => ({ source: e.url, message: e.error as string, level: 'error' as const })),
  });
}

/** The Result of `probe apiserver`. */
export function apiServerProbeResult(report: ApiServerProbeReport, options: ProbeResultOptions): Result {
  const { checks, findings } = fromOutcomes(judgeApiServerProbe(report, options), 'control-plane');
  return buildProbeResult({
    target: { type: 'cluster', source: 'apiserver-probe', url: report.url },
    failOn: options.failOn,
    objects: 0,
    checks,
    findings,
    errors: report.error ? [{ source: report.url, message: report.error, level: 'error' }] : [],
  });
}

function fromOutcomes(outcomes: ProbeOutcome[], category: Category): { checks: CheckResult[]; findings: Finding[] } {
  const checks: CheckResult[] = outcomes.map((o) => ({
    id: o.check.id,
    title: o.check.title,
    severity: o.check.severity,
    category,
    status: o.status,
    controls: o.check.controls,
    passed: o.passed,
    failed: o.failed,
    ...(o.reason ? { reason: o.reason } : {}),
    ...(o.evidence ? { evidence: o.evidence } : {}),
  }));
  const findings: Finding[] = outcomes.flatMap((o) =>
    o.findings.map((f) => ({
      fingerprint: fingerprint(o.check.id, { group: '', kind: f.resource.kind, namespace: f.resource.namespace, name: f.resource.name }, f.path),
      check: o.check.id,
      severity: o.check.severity,
      message: f.message,
      resource: f.resource,
      location: { file: f.location, path: f.path },
      controls: o.check.controls,
      remediation: o.check.remediation,
    })),
  );
  return { checks, findings };
}

const PROBE_FRAMEWORKS = ['cis', 'nsa'];

function buildProbeResult(parts: {
  target: Result['target'];
  failOn: string;
  objects: number;
  checks: CheckResult[];
  findings: Finding[];
  errors: InputError[];
}): Result {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of parts.findings) counts[f.severity]++;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'kubeharden', version: TOOL_VERSION },
    target: parts.target,
    settings: { pssLevel: DEFAULT_SETTINGS.pssLevel, pssVersion: DEFAULT_SETTINGS.pssVersion, failOn: parts.failOn, frameworks: PROBE_FRAMEWORKS },
    summary: { objects: parts.objects, findings: counts, excepted: 0, frameworks: scoreFrameworks(parts.checks, PROBE_FRAMEWORKS) },
    checks: parts.checks,
    findings: parts.findings,
    errors: parts.errors,
  };
}
