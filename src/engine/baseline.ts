// `--baseline RESULT.json`: report only findings that are not in an earlier result, so CI can
// fail on what a change introduces. Findings are matched by fingerprint (check + resource +
// field path), which survives reformatting and moved lines.

import { promises as fs } from 'node:fs';
import { SEVERITIES, type Severity } from '../result/result.js';
import type { Result } from '../result/result.js';

export class BaselineError extends Error {}

export async function loadBaselineFingerprints(file: string): Promise<Set<string>> {
  let data: unknown;
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new BaselineError(`${file}: cannot read the baseline: ${(err as Error).message}`);
  }
  const findings = (data as { findings?: unknown })?.findings;
  if (!Array.isArray(findings) || (data as { schemaVersion?: unknown }).schemaVersion !== 1) {
    throw new BaselineError(`${file}: not a kubeharden JSON result (schemaVersion 1 with findings[])`);
  }
  return new Set(findings.map((f) => (f as { fingerprint?: unknown })?.fingerprint).filter((f): f is string => typeof f === 'string'));
}

/** Drops findings already in the baseline and recounts the summary. */
export function applyBaseline(result: Result, known: Set<string>): void {
  const before = result.findings.length;
  result.findings = result.findings.filter((f) => !known.has(f.fingerprint));
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) if (!f.exception) counts[f.severity]++;
  result.summary.findings = counts;
  result.summary.excepted = result.findings.filter((f) => f.exception).length;
  result.summary.inBaseline = before - result.findings.length;
}
