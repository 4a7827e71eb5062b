// The shape of a probe check: a check that a live probe (`etcd probe`, `probe apiserver`)
// decides from what it sees on the network rather than from an inventory, and its outcome,
// which the engine turns into the Result (src/engine/probe-result.ts).

import type { CheckMeta } from '../types.js';
import type { Category, CheckStatus, Evidence, ResourceRef, Severity } from '../../result/result.js';

export interface ProbeCheck {
  id: string;
  title: string;
  severity: Severity;
  controls: string[];
  rationale: string;
  remediation: string;
}

export function probeCatalog(checks: Record<string, ProbeCheck>, category: Category, appliesTo: string): CheckMeta[] {
  return Object.values(checks).map((c) => ({ ...c, category, appliesTo }));
}

/** How a probe check judged what the probe saw; the engine turns it into the Result. */
export interface ProbeOutcome {
  check: ProbeCheck;
  status: CheckStatus;
  passed: number;
  failed: number;
  reason?: string;
  evidence?: Evidence[];
  findings: { message: string; resource: ResourceRef; location: string; path: string }[];
}

export interface ProbeJudgeOptions {
  now: Date;
  /** Certificates expiring within this many days are reported. */
  expiryWarningDays: number;
  /** Whether the server certificate was checked against a CA the user gave. */
  caGiven: boolean;
}
