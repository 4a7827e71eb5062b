// The Result of `kubeharden node drift`: one finding per added, removed, changed or
// re-permissioned critical file since the baseline.

import { createHash } from 'node:crypto';
import type { Severity } from '../result/result.js';
import { SEVERITIES } from '../result/result.js';
import type { Baseline, Drift, DriftKind } from '../sources/node/integrity.js';
import { compareBaseline } from '../sources/node/integrity.js';
import { TOOL_VERSION } from '../version.js';
import { DEFAULT_SETTINGS } from './context.js';
import type { Finding, Result } from '../result/result.js';
import { RESULT_SCHEMA_VERSION } from '../result/result.js';
import { sortFindings } from './scan.js';

const DRIFT_CHECK_ID = 'node-critical-files-unchanged';

const SEVERITY: Record<DriftKind, Severity> = { changed: 'high', 're-permissioned': 'high', added: 'medium', removed: 'medium' };

const REMEDIATION: Record<DriftKind, string> = {
  changed: 'Find out who changed the file and why; restore it from a trusted copy if the change was not planned, then record a new baseline.',
  're-permissioned': 'Restore the mode and owner the baseline recorded (chmod/chown) unless the change was planned, then record a new baseline.',
  added: 'Check that the new file belongs there (a new manifest runs as a static pod); remove it if not, then record a new baseline.',
  removed: 'Check why the file is gone and restore it if the removal was not planned, then record a new baseline.',
};

export function driftResult(before: Baseline, after: Baseline, target: Result['target'], failOn: string): Result {
  const drifts = compareBaseline(before, after);
  const findings = drifts.map(toFinding);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  const failed = new Set(drifts.map((d) => d.path)).size;
  const result: Result = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'kubeharden', version: TOOL_VERSION },
    target: { ...target, baseline: before.created },
    settings: { pssLevel: DEFAULT_SETTINGS.pssLevel, pssVersion: DEFAULT_SETTINGS.pssVersion, failOn, frameworks: [] },
    summary: { objects: after.files.length, findings: counts, excepted: 0, frameworks: {} },
    checks: [{
      id: DRIFT_CHECK_ID,
      title: 'Critical node files are unchanged since the baseline',
      severity: 'high',
      category: 'node',
      status: drifts.length ? 'fail' : 'pass',
      controls: [],
      passed: Math.max(0, after.files.length - failed),
      failed,
      reason: drifts.length
        ? `${drifts.length} difference(s) since the baseline of ${before.created}`
        : `${after.files.length} critical files match the baseline of ${before.created}`,
    }],
    findings,
    errors: after.problems.map((p) => ({ source: p.split(':')[0] ?? p, message: `not read: ${p}`, level: 'warning' as const })),
  };
  sortFindings(result);
  return result;
}

function toFinding(d: Drift): Finding {
  return {
    fingerprint: createHash('sha256').update([DRIFT_CHECK_ID, d.kind, d.path, d.field].join('\u0000')).digest('hex').slice(0, 16),
    check: DRIFT_CHECK_ID,
    severity: SEVERITY[d.kind],
    message: `${d.path} (${d.role}) ${d.kind}: ${d.detail}`,
    resource: { apiVersion: 'node/v1', kind: 'File', name: d.path },
    location: { file: d.path, path: d.field },
    controls: [],
    remediation: REMEDIATION[d.kind],
  };
}
