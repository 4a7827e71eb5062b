// The NDJSON report, for very large scans and line-by-line tools: each finding on its own line,
// exactly as in the JSON Result's `findings` (same fields, same order), then one last line
// holding the rest of the Result (schemaVersion, tool, target, settings, summary, checks,
// errors, skipped). A line with `fingerprint` is a finding; the line with `schemaVersion` is
// the last. Findings are written as they are turned into text, never gathered into one string.
//
//   kubeharden scan k8s/ --format ndjson | jq -c 'select(.severity == "critical")'

import type { Result } from '../result/result.js';

export function renderNdjson(result: Result): string {
  return [...ndjsonPieces(result)].join('');
}

export function* ndjsonPieces(result: Result): Generator<string> {
  const { findings, ...rest } = result;
  for (const finding of findings) yield JSON.stringify(finding) + '\n';
  yield JSON.stringify(rest) + '\n';
}

/** The Result an NDJSON report holds (the findings lines put back into `findings`, in their place). */
export function resultFromNdjson(text: string): Result {
  const lines = text.split('\n').filter((line) => line !== '');
  const last = lines.pop();
  if (last === undefined) throw new Error('an empty NDJSON report: the last line must hold the Result');
  const rest = JSON.parse(last) as Omit<Result, 'findings'>;
  if (typeof rest.schemaVersion !== 'number') throw new Error('the last line of an NDJSON report must hold the Result (schemaVersion …)');
  const findings = lines.map((line) => JSON.parse(line) as Result['findings'][number]);
  // The Result's own member order: findings sit between checks and errors.
  const ordered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'errors') ordered.findings = findings;
    ordered[key] = value;
  }
  if (!('findings' in ordered)) ordered.findings = findings;
  return ordered as unknown as Result;
}
