// `scan --cluster --write-policy-reports`: the Result written to the cluster as PolicyReports
// (src/report/policyreport.ts builds them), so dashboards that read them show kubeharden's
// findings. Each report is server-side applied; then the kubeharden reports this scan no
// longer produces (a namespace that became clean, a node that left) are deleted, found by the
// label every kubeharden report carries. A scan of one namespace (--namespace) writes and
// prunes that namespace's reports only: it saw nothing else, so the cluster-wide and node
// reports of the last full scan stay.

import type { Result } from '../result/result.js';
import {
  buildPolicyReports,
  MANAGED_BY_LABEL,
  POLICY_REPORT_API_VERSION,
  POLICY_REPORT_GROUP,
  policyReportApiPath,
  type PolicyReportObject,
} from '../report/policyreport.js';
import { ApiClient, ApiError, type ApiClientOptions } from '../sources/cluster/client.js';
import { ClusterSourceError, loadKubeConfig, type KubeConfigOptions } from '../sources/cluster/kubeconfig.js';
import { inPool } from '../sources/cluster/source.js';
import type { ApiResource } from '../sources/cluster/resources.js';
import { applyObject, deleteObject, listNames } from './write.js';

export interface WriteReportsOptions extends KubeConfigOptions, ApiClientOptions {
  /** Write and prune only this namespace's reports. */
  namespace?: string;
  now?: Date;
  maxReportBytes?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface WriteReportsOutcome {
  written: { policyReports: number; clusterPolicyReports: number };
  deleted: number;
  server: string;
}

const WRITERS = 4;
const POLICY_REPORTS: ApiResource = { kind: 'PolicyReport', group: POLICY_REPORT_GROUP, version: 'v1alpha2', plural: 'policyreports', namespaced: true };
const CLUSTER_POLICY_REPORTS: ApiResource = { kind: 'ClusterPolicyReport', group: POLICY_REPORT_GROUP, version: 'v1alpha2', plural: 'clusterpolicyreports', namespaced: false };
const SELECTOR = `${MANAGED_BY_LABEL}=kubeharden`;

/** Writes the reports; throws ClusterSourceError with the cause (CRDs missing, forbidden, …). */
export async function writePolicyReports(result: Result, options: WriteReportsOptions = {}): Promise<WriteReportsOutcome> {
  let reports = buildPolicyReports(result, { now: options.now ?? new Date(), maxReportBytes: options.maxReportBytes });
  if (options.namespace !== undefined) reports = reports.filter((r) => r.kind === 'PolicyReport' && r.metadata.namespace === options.namespace);
  const config = await loadKubeConfig(options);
  const client = new ApiClient(config, options);
  const outcome: WriteReportsOutcome = { written: { policyReports: 0, clusterPolicyReports: 0 }, deleted: 0, server: config.server };
  let step = 'write';
  try {
    await inPool(reports, WRITERS, async (report) => {
      await applyObject(client, policyReportApiPath(report), report as unknown as Record<string, unknown>, options.sleep);
      if (report.kind === 'PolicyReport') outcome.written.policyReports++;
      else outcome.written.clusterPolicyReports++;
    });
    step = 'prune';
    const keep = new Set(reports.map(keyOf));
    const listed = { labelSelector: SELECTOR, sleep: options.sleep };
    const stale = [
      ...(await listNames(client, POLICY_REPORTS, { ...listed, namespace: options.namespace }))
        .map((o) => ({ kind: 'PolicyReport' as const, metadata: { name: o.name, namespace: o.namespace ?? '' } })),
      ...(options.namespace !== undefined ? [] : await listNames(client, CLUSTER_POLICY_REPORTS, listed))
        .map((o) => ({ kind: 'ClusterPolicyReport' as const, metadata: { name: o.name } })),
    ].filter((r) => !keep.has(keyOf(r)));
    await inPool(stale, WRITERS, async (report) => {
      await deleteObject(client, policyReportApiPath(report), options.sleep);
      outcome.deleted++;
    });
    return outcome;
  } catch (err) {
    throw describeWriteFailure(err, step, config.server);
  } finally {
    client.close();
  }
}

function keyOf(report: Pick<PolicyReportObject, 'kind'> & { metadata: { name: string; namespace?: string } }): string {
  return `${report.kind}/${report.metadata.namespace ?? ''}/${report.metadata.name}`;
}

function describeWriteFailure(err: unknown, step: string, server: string): Error {
  if (err instanceof ClusterSourceError) return err;
  const what = step === 'write' ? 'could not write the PolicyReports' : 'wrote the PolicyReports but could not delete the stale ones';
  if (err instanceof ApiError && err.status === 404 && !/namespaces "/.test(err.message)) {
    return new ClusterSourceError(
      `${what} to ${server}: the PolicyReport CRDs (${POLICY_REPORT_API_VERSION}) are not installed; Kyverno and Policy Reporter install them, ` +
        'or apply them from kubernetes-sigs/wg-policy-prototypes (policy-report/crd/v1alpha2)',
    );
  }
  if (err instanceof ApiError && err.status === 403) {
    return new ClusterSourceError(
      `${what} to ${server}: forbidden (${err.message.replace(/^\S+ \S+: 403 \S+: /, '')}); the scan needs list, create, patch and delete on policyreports and clusterpolicyreports (apiGroup wgpolicyk8s.io), as the kubeharden-report-writer ClusterRole in deploy/kubeharden-scan.yaml grants`,
    );
  }
  return new ClusterSourceError(`${what} to ${server}: ${(err as Error)?.message ?? String(err)}`);
}
