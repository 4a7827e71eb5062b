// The answers of the RBAC queries (src/queries/rbac.ts) as text for a terminal.

import { describePath } from '../../analysis/rbac/assertions.js';
import { describeSubject, type SubjectId } from '../../analysis/rbac/engine.js';
import { describeRequest } from '../../analysis/rbac/request.js';
import type { Request } from '../../analysis/rbac/rules.js';
import type { AssertionsAnswer, CanAnswer, PathsAnswer, WhoCanAnswer } from '../../queries/rbac.js';

/** Pads columns of a small table for the terminal. */
export function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

export function whoCanText(request: Request, anyNamespace: boolean | undefined, answer: WhoCanAnswer): string {
  const rows = [['KIND', 'NAMESPACE', 'NAME', 'VIA']];
  for (const s of answer.subjects) {
    s.via.forEach((v, i) => rows.push(i === 0 ? [s.kind, s.namespace ?? '', s.name, v.description] : ['', '', '', v.description]));
  }
  return `Who can ${describeRequest(request, anyNamespace)}:\n` + columns(rows);
}

export function permissionsText(subject: SubjectId, answer: CanAnswer): string {
  const head = `Permissions of ${describeSubject(subject)} (user ${answer.identity.user || '-'}, groups ${answer.identity.groups.join(', ') || '-'}):\n`;
  const masters = answer.unrestricted ? 'In group system:masters: every request is allowed, whatever RBAC says.\n' : '';
  const rows = [['SCOPE', 'VERBS', 'API GROUPS', 'RESOURCES', 'NAMES', 'NON-RESOURCE URLS', 'VIA']];
  for (const r of answer.rules) {
    rows.push([
      r.scope || '(cluster)',
      r.verbs.join(','),
      r.apiGroups.map((g) => (g === '' ? '""' : g)).join(','),
      r.resources.join(','),
      r.resourceNames.join(','),
      r.nonResourceURLs.join(','),
      r.via.description,
    ]);
  }
  return head + masters + (answer.rules.length ? columns(rows) : 'No RBAC permissions.\n');
}

export function pathsText({ paths: shown, sideSteps, workloads }: PathsAnswer): string {
  const out: string[] = [];
  out.push(shown.length ? `Subjects that are or can become cluster-admin (${shown.length}):` : 'No subject can become cluster-admin.');
  for (const p of shown) {
    out.push(`  ${describeSubject(p.subject)}${p.builtIn ? ' (Kubernetes default)' : ''}`);
    p.steps.forEach((s, i) => out.push(`    ${i + 1}. [${s.vector}] ${s.action} → ${s.grants}\n       via ${s.via}`));
  }
  const powerful = workloads.filter((w) => w.clusterAdmin);
  out.push('', powerful.length ? `Workloads whose pods can become cluster-admin if compromised (${powerful.length}):` : 'No workload runs with a path to cluster-admin.');
  for (const w of powerful) out.push(`  ${w.workload} (ServiceAccount ${w.namespace}/${w.serviceAccount}): ${describePath(w.clusterAdmin ?? [])}`);
  const lateral = workloads.filter((w) => !w.clusterAdmin && w.becomes.length);
  if (lateral.length) out.push('', `Workloads whose pods can act as other service accounts (${lateral.length}):`);
  for (const w of lateral) out.push(`  ${w.workload} (ServiceAccount ${w.namespace}/${w.serviceAccount}) → ${w.becomes.join(', ')}`);
  if (sideSteps.length) out.push('', `Other escalation steps, not a path to cluster-admin by themselves (${sideSteps.length} subjects):`);
  for (const s of sideSteps) {
    out.push(`  ${describeSubject(s.subject)}${s.builtIn ? ' (Kubernetes default)' : ''}`);
    for (const step of s.steps) out.push(`    [${step.vector}] ${step.action} → ${step.result}\n       via ${step.via}`);
  }
  return out.join('\n') + '\n';
}

export function assertionsText(answer: AssertionsAnswer): string {
  const lines = answer.assertions.map((o) => `${o.passed ? 'PASS' : 'FAIL'}  ${o.assertion}${o.passed ? '' : `\n      ${o.reason}`}`);
  return `${lines.join('\n')}\n\n${answer.passed} passed, ${answer.failed} failed\n`;
}
