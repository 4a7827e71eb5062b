// Options that shape one report format for the place it goes (code scanning, a CI page, a
// PolicyReport dashboard). Every command that reports takes them; each only matters for its format.

import { Command, Option } from 'commander';
import { JUNIT_CASES, type JunitCases } from '../report/junit.js';
import { POLICY_REPORT_APIS, type PolicyReportApi } from '../report/openreports.js';

export interface ReportFlags {
  sarifRoot?: string;
  junitCases?: JunitCases;
  policyReportApi?: PolicyReportApi;
  policyReportSkipped?: boolean;
}

/** What the command knows about its own run, for formats that record it (JUnit's time and timestamp). */
export interface RunFacts {
  startedAt?: Date;
  seconds?: number;
}

export function addReportOptions(command: Command): Command {
  return command
    .option('--sarif-root <dir>', 'with --format sarif or gitlab: the repository root that file paths are relative to (default: $GITHUB_WORKSPACE for sarif, $CI_PROJECT_DIR for gitlab, else the current folder)')
    .addOption(new Option('--junit-cases <shape>', 'with --format junit: one test case per check or per object with findings').choices([...JUNIT_CASES]).default('check'))
    .addOption(new Option('--policy-report-api <group>', 'with --format policyreport: wgpolicyk8s.io (PolicyReport) or openreports.io (Report, as Kyverno 1.15 writes)').choices([...POLICY_REPORT_APIS]).default('wgpolicyk8s.io'))
    .option('--policy-report-skipped', 'with --format policyreport: also list checks that did not apply to the input, as skip results');
}

/** Measures a command's run for RunFacts. */
export function startRun(): () => RunFacts {
  const startedAt = new Date();
  const t0 = performance.now();
  return () => ({ startedAt, seconds: (performance.now() - t0) / 1000 });
}
