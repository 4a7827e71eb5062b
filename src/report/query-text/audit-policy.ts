// The answer of `audit-policy explain` (src/queries/audit-policy.ts) as text for a terminal.

import type { AuditLevel } from '../../analysis/audit/policy.js';
import type { ExplainAnswer } from '../../queries/audit-policy.js';

const LEVEL_MEANING: Record<AuditLevel, string> = {
  None: 'no event is recorded',
  Metadata: 'user, groups, source IPs, user agent, verb, resource, namespace, name and response status; no bodies',
  Request: 'metadata and the request body (no response body)',
  RequestResponse: 'metadata, the request body and the response body',
};

export function explainText(file: string, a: ExplainAnswer): string {
  const r = a.request;
  const who = `${r.user ? `user ${r.user}` : 'no user given'}${r.groups.length ? ` (groups ${r.groups.join(', ')})` : ''}`;
  const what =
    r.kind === 'resource'
      ? `${r.verb} ${r.subresource ? `${r.resource}/${r.subresource}` : r.resource}${r.apiGroup ? ` (group ${r.apiGroup})` : ' (core group)'}` +
        `${r.name ? ` named ${r.name}` : ''}${r.namespace ? ` in namespace ${r.namespace}` : ' (cluster-scoped or all namespaces)'}`
      : `${r.verb} ${r.path} (non-resource URL)`;
  return [
    `request: ${what}, ${who}`,
    a.rule ? `matches: ${a.rule.description}${a.rule.line ? ` at ${file}:${a.rule.line}` : ''}` : 'matches: no rule — the default level None applies',
    `level:   ${a.level} — ${LEVEL_MEANING[a.level]}`,
    `omitted stages: ${a.omitStages.length ? a.omitStages.join(', ') : 'none'}`,
    '',
  ].join('\n');
}
