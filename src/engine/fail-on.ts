// --fail-on: which findings make a scan fail (exit 1) and the webhook refuse an object. One
// definition, so both always agree.

import { SEVERITIES, type Severity } from '../result/result.js';
import type { Finding } from '../result/result.js';

export type FailOn = Severity | 'none';

/** The findings at or above the threshold that no exception covers. */
export function blockingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'none') return [];
  const threshold = SEVERITIES.indexOf(failOn);
  return findings.filter((f) => !f.exception && SEVERITIES.indexOf(f.severity) <= threshold);
}
