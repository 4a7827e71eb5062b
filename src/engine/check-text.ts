// A check's words for the Result (rationale, remediation, docs page): the engine copies them
// from the check's metadata into each CheckResult, so reports never look a check up.

import type { CheckMeta } from '../checks/types.js';
import type { CheckText } from '../result/result.js';
import { checkDocsUrl } from '../result/docs-link.js';
import { TOOL_VERSION } from '../version.js';

export function checkText(check: Pick<CheckMeta, 'id' | 'rationale' | 'remediation'>): Required<CheckText> {
  return { rationale: check.rationale, remediation: check.remediation, docs: checkDocsUrl(check.id, TOOL_VERSION) };
}
