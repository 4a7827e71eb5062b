// The Result of a live probe (`etcd probe`, `probe apiserver`): the same contract as a scan,
// with the CIS and NSA frameworks scored (probes have no Pod Security checks).

import { SEVERITIES, type Severity } from '../checks/types.js';
import { TOOL_VERSION } from '../version.js';
import { DEFAULT_SETTINGS } from './context.js';
import { RESULT_SCHEMA_VERSION, type CheckResult, type Finding, type InputError, type Result } from '../result/result.js';
import { scoreFrameworks } from './run.js';

const PROBE_FRAMEWORKS = ['cis', 'nsa'];

export function buildProbeResult(parts: {
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
