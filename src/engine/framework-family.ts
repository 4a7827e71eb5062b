// Provider benchmarks (`cis-eks:3.2.1`, `cis-gke:…`, `cis-aks:…`) belong to the CIS family:
// `--framework cis` keeps their checks, and a result scores each provider benchmark its checks
// map to beside the frameworks asked for.

import type { CheckResult } from '../result/result.js';

/** A provider benchmark (`cis-eks:3.2.1`) belongs to the CIS family: `--framework cis` keeps it. */
export function inFramework(control: string, frameworks: readonly string[]): boolean {
  const fw = control.split(':')[0]!;
  return frameworks.some((f) => fw === f || fw.startsWith(`${f}-`));
}

/** The requested frameworks plus the provider benchmarks (cis-eks, cis-gke, cis-aks) the checks map to. */
export function scoredFrameworks(checks: readonly CheckResult[], frameworks: readonly string[]): string[] {
  const extra = new Set<string>();
  for (const c of checks) for (const control of c.controls) {
    const fw = control.split(':')[0]!;
    if (!frameworks.includes(fw) && inFramework(control, frameworks)) extra.add(fw);
  }
  return [...frameworks, ...[...extra].sort()];
}

