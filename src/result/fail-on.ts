// --fail-on: which findings make a scan fail (exit 1), the webhook refuse an object and a JUnit
// case fail; and which checks crashed (a scan exits 2, the webhook cannot judge). In result/ so
// reports use it too. One definition, so all always agree.

import { SEVERITIES, type Severity } from './result.js';
import type { CheckResult, Finding } from './result.js';

export type FailOn = Severity | 'none';

/** The findings at or above the threshold that no exception covers. */
export function blockingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'none') return [];
  const threshold = SEVERITIES.indexOf(failOn);
  return findings.filter((f) => !f.exception && SEVERITIES.indexOf(f.severity) <= threshold);
}

/** The checks that crashed: they decided nothing, so nothing may pass on them. */
export function crashedChecks(checks: readonly CheckResult[]): CheckResult[] {
  return checks.filter((c) => c.status === 'error');
}

/** Why a crashed check did not run (the engine always says; the words are a fallback). */
export function whyNotRun(check: CheckResult): string {
  return check.reason ?? 'the check failed to run';
}
