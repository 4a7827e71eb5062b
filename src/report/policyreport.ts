// PolicyReport output: a Result as PolicyReport / ClusterPolicyReport objects of the Kubernetes
// Policy WG (wgpolicyk8s.io/v1alpha2), the objects Policy Reporter, Kyverno's UIs and OCM read.
// Pure: builds the objects and their YAML; applying them to a cluster is the caller's business
// (policyReportApiPath gives where each one lives).
//
// Placement of a finding, first rule that applies:
//   1. `finding.node` (a node-audit finding gathered into a cluster result), or `options.node`
//      for a Result of `scan --node` → ClusterPolicyReport `kubeharden-node-<node>`, scope Node.
//   2. `resource.namespace`, when it is a valid namespace name → PolicyReport `kubeharden` in
//      that namespace.
//   3. anything else (cluster-scoped objects, a node audit whose node is unknown, an object of
//      a manifest whose namespace no cluster could have) → ClusterPolicyReport
//      `kubeharden-cluster`; the result's resources still name the object's namespace.
//
// One result per finding: policy = check id, source `kubeharden`, category and `scored` from
// the check, severity and message from the finding. result = `skip` when an exception covers
// the finding (its reason in properties.exception), `warn` when the check's status (on that
// node, for a check with per-node outcomes) is `warn` — a failing CIS Manual item, which the
// project never reports as fail and the CRD calls "non-scored" (scored: false) — else `fail`.
// resources = the finding's object, except for what a node audit finds that is not a
// Kubernetes object (apiVersion `node/v1`: File, Directory, Process): no resources (the
// report's Node scope says where) and properties.<kind in lower case> = its name.
// Properties, all strings: controls (comma-joined), fingerprint, path, file, line, remediation;
// for an excepted finding exception (the reason), exceptionSource, exceptionExpires.
// No `rule`: a check has no finer rule than its id.
//
// Check-level results, one per check (or, for a check with `nodes`, one per node outcome, in
// that node's report; else in the cluster report, or options.node's report):
//   pass (only when passed > 0) → pass; skip → skip; error → error;
//   manual → skip with properties.manual "true", scored false;
//   fail / warn → fail / warn only when no finding of the check (on that node) exists — a check
//   with findings is already represented by them.
// Message = the check's reason, or its title when it gives none; properties: title, controls,
// passed and failed counts.
//
// A report exists only where there are results (a namespace without findings has none), so
// whoever applies them must delete the kubeharden reports a new scan no longer produces: all
// carry the label app.kubernetes.io/managed-by=kubeharden and kubeharden.io/report
// (namespace | cluster | node), node reports kubeharden.io/node when the name fits a label.
//
// summary: in every report object, the number of its `results` with each result value
// (pass, fail, warn, error, skip; zeros included). A split report counts only its own results.
//
// Size: etcd refuses objects over 1.5 MiB, so a report whose JSON would exceed maxReportBytes
// (default 1,000,000) is split into `NAME`, `NAME-2`, `NAME-3`…, each a complete report with
// its own summary. Results keep their order: findings as result.findings sorts them, then
// check-level results in result.checks order. A single result bigger than the limit alone
// gets a report of its own (it cannot be split further).
//
// Names are DNS subdomains: a node name that is not one already (or is too long, or whose
// report name would equal another node's split part, `w1` part 2 vs node `w1-2`) is reduced
// to valid characters and suffixed with a hash of the node name.
//
// YAML is written in YAML 1.1, as kubectl reads it, so a string like `yes`, `on` or `0644` is
// quoted and stays a string (the CRD rejects a boolean or a number in properties).

import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { Severity } from '../result/result.js';
import type { CheckResult, CheckStatus, Finding, Result } from '../result/result.js';

export const POLICY_REPORT_GROUP = 'wgpolicyk8s.io';
export const POLICY_REPORT_API_VERSION = `${POLICY_REPORT_GROUP}/v1alpha2`;
const DEFAULT_MAX_REPORT_BYTES = 1_000_000;
/** Labels on every report: `kubectl get polr,cpolr -A -l app.kubernetes.io/managed-by=kubeharden` finds them all. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const REPORT_KIND_LABEL = 'kubeharden.io/report';
/** On node reports, when the node name is a valid label value (≤ 63 characters). */
const NODE_LABEL = 'kubeharden.io/node';
const TARGET_ANNOTATION = 'kubeharden.io/target';
const RESULT_SOURCE = 'kubeharden';

const POLICY_RESULT_VALUES = ['pass', 'fail', 'warn', 'error', 'skip'] as const;
export type PolicyResultValue = (typeof POLICY_RESULT_VALUES)[number];
export type ReportPlacement = 'namespace' | 'cluster' | 'node';

/** core/v1 ObjectReference as the CRD embeds it. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface PolicyReportResult {
  policy: string;
  source: string;
  category?: string;
  severity: Severity;
  result: PolicyResultValue;
  scored: boolean;
  message: string;
  resources?: ObjectReference[];
  properties: Record<string, string>;
  timestamp: { seconds: number; nanos: number };
}

export type PolicyReportSummary = Record<PolicyResultValue, number>;

interface ReportMetadata {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface ReportBody {
  apiVersion: typeof POLICY_REPORT_API_VERSION;
  scope?: ObjectReference;
  summary: PolicyReportSummary;
  results: PolicyReportResult[];
}

export interface NamespacedPolicyReport extends ReportBody {
  kind: 'PolicyReport';
  metadata: ReportMetadata & { namespace: string };
}

export interface ClusterPolicyReport extends ReportBody {
  kind: 'ClusterPolicyReport';
  metadata: ReportMetadata;
}

export type PolicyReportObject = NamespacedPolicyReport | ClusterPolicyReport;

export interface PolicyReportOptions {
  /** The time every result is stamped with. */
  now: Date;
  /** Split a report whose JSON would be larger (default 1,000,000 bytes; etcd's limit is 1.5 MiB). */
  maxReportBytes?: number;
  /**
   * For a Result of `scan --node`: the node it audited. Its findings and check outcomes then go
   * to that node's report instead of the cluster's (a node audit must not overwrite the
   * cluster scan's `kubeharden-cluster`).
   */
  node?: string;
}

/** Where a report lives in the API: the path to GET, PUT or DELETE it. */
export function policyReportApiPath(
  report: { kind: 'PolicyReport'; metadata: { name: string; namespace: string } } | { kind: 'ClusterPolicyReport'; metadata: { name: string } },
): string {
  const name = encodeURIComponent(report.metadata.name);
  if (report.kind === 'ClusterPolicyReport') return `/apis/${POLICY_REPORT_API_VERSION}/clusterpolicyreports/${name}`;
  return `/apis/${POLICY_REPORT_API_VERSION}/namespaces/${encodeURIComponent(report.metadata.namespace)}/policyreports/${name}`;
}

/** Multi-document YAML for `kubectl apply -f -`. */
export function renderPolicyReports(result: Result, options: PolicyReportOptions): string {
  return buildPolicyReports(result, options)
    .map((report) => stringify(report, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}

/** The reports, in a stable order: the cluster report, node reports by node, namespaced reports by namespace. */
export function buildPolicyReports(result: Result, options: PolicyReportOptions): PolicyReportObject[] {
  const maxBytes = options.maxReportBytes ?? DEFAULT_MAX_REPORT_BYTES;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new RangeError(`maxReportBytes must be a positive number of bytes, got ${maxBytes}`);
  if (Number.isNaN(options.now.getTime())) throw new RangeError('now is not a valid date');

  const timestamp = toTimestamp(options.now);
  const checks = new Map(result.checks.map((c) => [c.id, c]));
  const groups = new Map<string, ReportGroup>();
  const groupFor = (placement: ReportPlacement, where?: string): ReportGroup => {
    const key = `${placement}\u0000${where ?? ''}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { placement, where, results: [] }));
    return group;
  };

  // Which checks are represented by findings, per node ('' = not on a node).
  const findingsOf = new Set<string>();
  for (const finding of result.findings) {
    const node = finding.node || options.node || undefined;
    findingsOf.add(`${finding.check}\u0000${node ?? ''}`);
    const check = checks.get(finding.check);
    const namespace = finding.resource.namespace;
    const group = node !== undefined ? groupFor('node', node) : namespace && isNamespaceName(namespace) ? groupFor('namespace', namespace) : groupFor('cluster');
    group.results.push(findingResult(finding, check, statusOn(check, node), timestamp));
  }
  for (const check of result.checks) {
    const outcomes = check.nodes?.length
      ? check.nodes.map((o) => ({ ...o, node: o.node || undefined }))
      : [{ ...check, node: options.node || undefined }];
    for (const outcome of outcomes) {
      const represented = findingsOf.has(`${check.id}\u0000${outcome.node ?? ''}`);
      const entry = checkResult(check, outcome, represented, timestamp);
      if (entry) (outcome.node !== undefined ? groupFor('node', outcome.node) : groupFor('cluster')).results.push(entry);
    }
  }

  const ordered = [...groups.values()].sort(
    (a, b) => PLACEMENT_ORDER[a.placement] - PLACEMENT_ORDER[b.placement] || compare(a.where ?? '', b.where ?? ''),
  );
  const chunked = ordered.map((group) => ({ group, chunks: splitResults(group, result, maxBytes) }));
  const hashedNodes = collidingNodes(chunked.map(({ group, chunks }) => ({ group, parts: chunks.length })));
  return chunked.flatMap(({ group, chunks }) => {
    const base = baseName(group, group.placement === 'node' && hashedNodes.has(group.where!));
    return chunks.map((results, i) => reportObject(group, i === 0 ? base : `${base}-${i + 1}`, results, result));
  });
}

interface ReportGroup {
  placement: ReportPlacement;
  /** The namespace or node; undefined for the cluster report. */
  where?: string;
  results: PolicyReportResult[];
}

const PLACEMENT_ORDER: Record<ReportPlacement, number> = { cluster: 0, node: 1, namespace: 2 };
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_NAME = 253;
/** Room left in a base name for a split suffix `-9999`. */
const MAX_BASE_NAME = MAX_NAME - 5;

function findingResult(finding: Finding, check: CheckResult | undefined, status: CheckStatus | undefined, timestamp: PolicyReportResult['timestamp']): PolicyReportResult {
  const kubernetesObject = finding.resource.apiVersion !== 'node/v1';
  const properties: Record<string, string> = {};
  if (finding.controls.length) properties.controls = finding.controls.join(',');
  properties.fingerprint = finding.fingerprint;
  if (finding.location.path) properties.path = finding.location.path;
  if (finding.location.file) properties.file = finding.location.file;
  if (finding.location.line !== undefined) properties.line = String(finding.location.line);
  if (!kubernetesObject) properties[finding.resource.kind.toLowerCase()] = finding.resource.name;
  if (finding.remediation) properties.remediation = finding.remediation;
  if (finding.exception) {
    properties.exception = finding.exception.reason;
    properties.exceptionSource = finding.exception.source;
    if (finding.exception.expires) properties.exceptionExpires = finding.exception.expires;
  }
  const { apiVersion, kind, name, namespace } = finding.resource;
  return {
    policy: finding.check,
    source: RESULT_SOURCE,
    ...(check ? { category: check.category } : {}),
    severity: finding.severity,
    result: finding.exception ? 'skip' : status === 'warn' ? 'warn' : 'fail',
    scored: status !== 'warn',
    message: finding.message,
    ...(kubernetesObject ? { resources: [{ apiVersion, kind, name, ...(namespace ? { namespace } : {}) }] } : {}),
    properties,
    timestamp: { ...timestamp },
  };
}

/** The check's status on a node when it has per-node outcomes, else its own status. */
function statusOn(check: CheckResult | undefined, node: string | undefined): CheckStatus | undefined {
  if (!check) return undefined;
  return check.nodes?.find((o) => o.node === node)?.status ?? check.status;
}

const CHECK_RESULT: Record<CheckStatus, PolicyResultValue> = { pass: 'pass', fail: 'fail', warn: 'warn', error: 'error', skip: 'skip', manual: 'skip' };

function checkResult(
  check: CheckResult,
  outcome: Pick<CheckResult, 'status' | 'passed' | 'failed' | 'reason'>,
  representedByFindings: boolean,
  timestamp: PolicyReportResult['timestamp'],
): PolicyReportResult | undefined {
  if (outcome.status === 'pass' && outcome.passed === 0) return undefined;
  if ((outcome.status === 'fail' || outcome.status === 'warn') && representedByFindings) return undefined;
  const properties: Record<string, string> = { title: check.title };
  if (check.controls.length) properties.controls = check.controls.join(',');
  properties.passed = String(outcome.passed);
  properties.failed = String(outcome.failed);
  if (outcome.status === 'manual') properties.manual = 'true';
  return {
    policy: check.id,
    source: RESULT_SOURCE,
    category: check.category,
    severity: check.severity,
    result: CHECK_RESULT[outcome.status],
    scored: outcome.status !== 'manual' && outcome.status !== 'warn',
    message: outcome.reason ?? check.title,
    properties,
    timestamp: { ...timestamp },
  };
}

function toTimestamp(now: Date): PolicyReportResult['timestamp'] {
  const ms = now.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/**
 * Consecutive runs of results, each small enough that its report stays within maxBytes. The
 * size is bounded from above: the empty report is measured with a name of the longest length
 * and summary counts of nine digits, each result with a separating comma.
 */
function splitResults(group: ReportGroup, result: Result, maxBytes: number): PolicyReportResult[][] {
  const widest = reportObject(group, 'x'.repeat(MAX_NAME), [], result);
  widest.summary = Object.fromEntries(POLICY_RESULT_VALUES.map((v) => [v, 999_999_999])) as PolicyReportSummary;
  const emptyBytes = jsonBytes(widest);
  const chunks: PolicyReportResult[][] = [];
  let chunk: PolicyReportResult[] = [];
  let bytes = emptyBytes;
  for (const entry of group.results) {
    const size = jsonBytes(entry) + 1;
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = emptyBytes;
    }
    chunk.push(entry);
    bytes += size;
  }
  if (chunk.length > 0 || chunks.length === 0) chunks.push(chunk);
  return chunks;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function reportObject(group: ReportGroup, name: string, results: PolicyReportResult[], result: Result): PolicyReportObject {
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: 'kubeharden', [REPORT_KIND_LABEL]: group.placement };
  if (group.placement === 'node' && LABEL_VALUE.test(group.where!) && group.where!.length <= 63) labels[NODE_LABEL] = group.where!;
  const annotations = { [TARGET_ANNOTATION]: String(result.target.type) };
  const summary = Object.fromEntries(POLICY_RESULT_VALUES.map((v) => [v, 0])) as PolicyReportSummary;
  for (const r of results) summary[r.result]++;
  if (group.placement === 'namespace') {
    return { apiVersion: POLICY_REPORT_API_VERSION, kind: 'PolicyReport', metadata: { name, namespace: group.where!, labels, annotations }, summary, results };
  }
  return {
    apiVersion: POLICY_REPORT_API_VERSION,
    kind: 'ClusterPolicyReport',
    metadata: { name, labels, annotations },
    ...(group.placement === 'node' ? { scope: { apiVersion: 'v1', kind: 'Node', name: group.where! } } : {}),
    summary,
    results,
  };
}

function baseName(group: ReportGroup, hashed: boolean): string {
  if (group.placement === 'namespace') return 'kubeharden';
  if (group.placement === 'cluster') return 'kubeharden-cluster';
  const plain = `kubeharden-node-${group.where!}`;
  if (!hashed && plain.length <= MAX_BASE_NAME && DNS_SUBDOMAIN.test(plain)) return plain;
  const hash = createHash('sha256').update(group.where!).digest('hex').slice(0, 10);
  const cleaned = plain
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .split('.')
    .map((label) => label.replace(/^-+|-+$/g, ''))
    .filter(Boolean)
    .join('.')
    .slice(0, MAX_BASE_NAME - hash.length - 1)
    .replace(/[.-]+$/, '');
  return `${cleaned}-${hash}`;
}

/** Nodes whose plain report names would collide with another node's (`w1` split in two vs node `w1-2`). */
function collidingNodes(groups: { group: ReportGroup; parts: number }[]): Set<string> {
  const owners = new Map<string, Set<string>>();
  for (const { group, parts } of groups) {
    if (group.placement !== 'node') continue;
    const base = baseName(group, false);
    for (let i = 0; i < parts; i++) {
      const name = i === 0 ? base : `${base}-${i + 1}`;
      const set = owners.get(name) ?? new Set<string>();
      set.add(group.where!);
      owners.set(name, set);
    }
  }
  const colliding = new Set<string>();
  for (const nodes of owners.values()) if (nodes.size > 1) for (const node of nodes) colliding.add(node);
  return colliding;
}

function isNamespaceName(namespace: string): boolean {
  return namespace.length <= 63 && DNS_LABEL.test(namespace);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
