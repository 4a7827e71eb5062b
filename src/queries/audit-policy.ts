// Which rule of an audit Policy matches a request, and at which level the API server logs it
// (`kubeharden audit-policy explain`). The answer is plain data; src/report/query-text/
// audit-policy.ts renders it for people.

import { levelAndStages, type AuditRequest } from '../analysis/audit/evaluate.js';
import { describeRule, type AuditLevel } from '../analysis/audit/policy.js';
import { readAuditPolicyText, type PolicyFile } from '../analysis/audit/policy-file.js';
import { resolvePositions } from '../inventory/positions.js';

export interface ExplainAnswer {
  request: AuditRequest;
  /** The first rule that matches, or null: the default level None applies. */
  rule: { index: number; path: string; line?: number; description: string } | null;
  level: AuditLevel;
  omitStages: string[];
}

/** Evaluates the request against the policy in `text` (the file's content; `file` names it in positions and errors). */
export async function explainAuditRequest(text: string, file: string, request: AuditRequest): Promise<{ ok: true; answer: ExplainAnswer } | Extract<PolicyFile, { ok: false }>> {
  const loaded = readAuditPolicyText(text, file);
  if (!loaded.ok) return loaded;
  const decision = levelAndStages(loaded.policy, request);
  const line = decision.rule
    ? (await resolvePositions(file, [{ doc: loaded.object.source.doc, path: [...loaded.object.source.pathInDoc, 'rules', decision.rule.index] }], text))[0]?.line
    : undefined;
  return {
    ok: true,
    answer: {
      request,
      rule: decision.rule ? { index: decision.rule.index, path: `rules[${decision.rule.index}]`, ...(line ? { line } : {}), description: describeRule(decision.rule) } : null,
      level: decision.level,
      omitStages: decision.omitStages,
    },
  };
}
