// The same reports in the OpenReports API (openreports.io/v1alpha1, Report and ClusterReport),
// the successor of wgpolicyk8s.io that Kyverno 1.15 writes and Policy Reporter reads. The
// result entries have the same fields (policy, rule, category, severity, result, scored,
// resources, message, properties, timestamp); the report names its source once.

import { stringify } from 'yaml';
import type { Result } from '../result/result.js';
import { buildPolicyReports, RESULT_SOURCE, type PolicyReportObject, type PolicyReportOptions } from './policyreport.js';

export const OPENREPORTS_GROUP = 'openreports.io';
export const OPENREPORTS_API_VERSION = `${OPENREPORTS_GROUP}/v1alpha1`;
export const POLICY_REPORT_APIS = ['wgpolicyk8s.io', 'openreports.io'] as const;
export type PolicyReportApi = (typeof POLICY_REPORT_APIS)[number];

export type OpenReportObject = Omit<PolicyReportObject, 'apiVersion' | 'kind'> & {
  apiVersion: typeof OPENREPORTS_API_VERSION;
  kind: 'Report' | 'ClusterReport';
  source: string;
};

export function toOpenReport(report: PolicyReportObject): OpenReportObject {
  const { apiVersion: _apiVersion, kind, metadata, ...body } = report;
  return { apiVersion: OPENREPORTS_API_VERSION, kind: kind === 'PolicyReport' ? 'Report' : 'ClusterReport', metadata, source: RESULT_SOURCE, ...body };
}

export function buildOpenReports(result: Result, options: PolicyReportOptions): OpenReportObject[] {
  return buildPolicyReports(result, options).map(toOpenReport);
}

/** Multi-document YAML for `kubectl apply -f -`. */
export function renderOpenReports(result: Result, options: PolicyReportOptions): string {
  return buildOpenReports(result, options)
    .map((report) => stringify(report, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
