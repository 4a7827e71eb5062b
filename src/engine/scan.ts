// The library entry point for scanning manifests: load, run every check, locate findings.

import { ALL_CHECKS } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import { loadManifests, type ManifestSourceOptions } from '../sources/manifests.js';
import { locateFindings } from './locate.js';
import type { Result } from '../result/result.js';
import { runChecks, type EngineOptions } from './run.js';

export interface ScanManifestsOptions extends EngineOptions, ManifestSourceOptions {
  checks?: readonly Check[];
}

export async function scanManifests(inputs: string[], options: ScanManifestsOptions = {}): Promise<Result> {
  const { inventory, files, texts } = await loadManifests(inputs, options);
  const { result, located } = runChecks(inventory, options.checks ?? ALL_CHECKS, { type: 'manifests', inputs, files: files.length }, options);
  await locateFindings(located, texts);
  sortFindings(result);
  return result;
}

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;

/** Most severe first, then by file and line, so reports read top-down. */
export function sortFindings(result: Result): void {
  result.findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      (a.location.column ?? 0) - (b.location.column ?? 0) ||
      (a.check < b.check ? -1 : a.check > b.check ? 1 : 0),
  );
}
