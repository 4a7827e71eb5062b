// A check's "How to fix" in the table, HTML and Markdown reports: the check's own remediation as
// the Result carries it (`checks[].remediation`), so a Result file alone renders the same words.
// A finding's remediation may be specific to that finding (one container, one flag), so it is
// not the check's advice; only a Result saved before checks carried their words (or a check
// without a catalog entry) falls back to the first remediation among the check's findings.

import type { CheckResult, Finding } from '../result/result.js';

export function howToFix(check: Pick<CheckResult, 'id' | 'remediation'>, findings: readonly Finding[]): string {
  return check.remediation ?? findings.find((f) => f.check === check.id && f.remediation)?.remediation ?? '';
}
