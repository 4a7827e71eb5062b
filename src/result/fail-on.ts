// --fail-on: which findings make a scan fail (exit 1), the webhook refuse an object and a JUnit
// case fail. In result/ so reports use it too. One
// definition, so all always agree.

import { SEVERITIES, type Severity } from './result.js';
import type { Finding } from './result.js';

export type FailOn = Severity | 'none';

/** The findings at or above the threshold that no exception covers. */
export function blockingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'none') return [];
  const threshold = SEVERITIES.indexOf(failOn);
  return findings.filter((f) => !f.exception && SEVERITIES.indexOf(f.severity) <= threshold);
}
