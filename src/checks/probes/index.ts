// Checks that live probes (`etcd probe`, `probe apiserver`) decide from what they see on the
// network rather than from an inventory. Their metadata joins the check catalog so that
// `checks list`, `checks explain` and the generated docs show them like every other check.

import type { Category, CheckMeta, Severity } from '../types.js';

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
