// The terminal report of a node audit: every CIS item with its status and what was seen,
// like kube-bench's listing, followed by the usual findings table and summary.

import type { CheckStatus, Result } from '../result/result.js';
import { renderTable, type TableOptions } from './table.js';

const STATUS_COLOR: Record<CheckStatus, number> = { pass: 32, fail: 31, warn: 33, manual: 36, skip: 90, error: 35 };

export function renderNodeTable(result: Result, options: TableOptions): string {
  const paint = (code: number, s: string) => (options.color ? `\x1b[${code}m${s}\x1b[39m` : s);
  const lines: string[] = [];
  const node = typeof result.target.node === 'string' ? result.target.node : undefined;
  const root = typeof result.target.root === 'string' && result.target.root !== '/' ? ` (host filesystem at ${result.target.root})` : '';
  if (node) lines.push(`Node audit of ${node}${root}`, '');
  const benchmark = result.target.benchmark as { title?: string; how?: string; evidence?: string[] } | undefined;
  if (benchmark?.title) lines.push(`Benchmark: ${benchmark.title} (${benchmark.how === '--benchmark' ? 'chosen with --benchmark' : `detected: ${(benchmark.evidence ?? []).join('; ')}`})`, '');
  if (typeof result.target.processes === 'string') lines.push(`Processes: ${result.target.processes}`, '');
  for (const check of result.checks) {
    // The benchmark item: `cis:1.2.1`, or a provider benchmark's `cis-eks:3.2.1`.
    const control = check.controls.find((c) => /^cis(-[a-z]+)?:/.test(c))?.split(':')[1] ?? '';
    lines.push(`${paint(STATUS_COLOR[check.status], `[${check.status.toUpperCase()}]`.padEnd(8))} ${control.padEnd(7)} ${check.title}  ${paint(90, check.id)}`);
    if (check.status !== 'pass' && check.reason) lines.push(`         ${check.reason}`);
  }
  const counts = new Map<string, number>();
  for (const c of result.checks) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  lines.push('', `CIS items: ${['pass', 'fail', 'warn', 'manual', 'skip', 'error'].map((s) => `${counts.get(s) ?? 0} ${s}`).join(', ')}`, '');
  return lines.join('\n') + '\n' + renderTable(result, options);
}
