// The answer of `psa preview` (src/queries/psa-preview.ts) as text for a terminal.

import type { NamespaceReport } from '../../queries/psa-preview.js';

export function previewText(reports: NamespaceReport[], level: string): string {
  if (!reports.length) return 'The input has no namespaces and no workloads.\n';
  const lines: string[] = [];
  for (const r of reports) {
    const m = r.policy.modes;
    const mode = (name: 'enforce' | 'audit' | 'warn') => `${name} ${m[name].level}@${m[name].version}${m[name].from === 'default' ? ' (default)' : ''}`;
    lines.push(`${r.namespace}${r.declared ? '' : ' (no Namespace object in the input)'}: ${r.policy.exempt ? 'exempt from PodSecurity' : [mode('enforce'), mode('audit'), mode('warn')].join(', ')}`);
    for (const p of r.policy.problems) lines.push(`  ! ${p}`);
    if (!r.policy.exempt && m.enforce.level === 'privileged') lines.push('  ! left at privileged: any pod is admitted');
    if (r.rejections.length) {
      lines.push(`  at ${level}, ${r.rejections.length} of ${r.workloads} workload(s) would be rejected:`);
      for (const x of r.rejections) {
        lines.push(`    ${x.workload} (${x.rejects}):`);
        for (const reason of x.reasons) lines.push(`      ${reason.pss}: ${reason.message}`);
      }
    } else if (!r.policy.exempt) {
      lines.push(`  at ${level}: all ${r.workloads} workload(s) would be admitted`);
    }
  }
  return lines.join('\n') + '\n';
}
