// The Result: one JSON-serialisable object that every reporter renders (DESIGN.md, "Result").
// Bump RESULT_SCHEMA_VERSION on any incompatible change.

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export type Category =
  | 'workload'
  | 'pod-security'
  | 'rbac'
  | 'network'
  | 'control-plane'
  | 'node'
  | 'etcd'
  | 'secrets'
  | 'audit'
  | 'admission'
  /** Availability, not security: kept out of every framework score; users can turn the category off. */
  | 'reliability';

export type PssLevel = 'baseline' | 'restricted';

/** A JSON-patch operation (RFC 6902) on the object, relative to the object root. */
export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

export const RESULT_SCHEMA_VERSION = 1;

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'manual' | 'skip' | 'error';

export interface CheckResult {
  id: string;
  title: string;
  severity: Severity;
  category: string;
  status: CheckStatus;
  controls: string[];
  /** Objects (or items) evaluated that passed. */
  passed: number;
  /** Objects (or items) evaluated that failed (excepted findings not counted). */
  failed: number;
  reason?: string;
  /** For checks that report what they saw (node audit): flag values, file modes… */
  evidence?: Evidence[];
  /**
   * In a cluster result that gathers node audits: this check's outcome on each audited node
   * (the check's own status is the worst of them).
   */
  nodes?: NodeCheckOutcome[];
}

export interface NodeCheckOutcome {
  node: string;
  status: CheckStatus;
  passed: number;
  failed: number;
  reason?: string;
}

/** One node's audit as gathered into a cluster result (`target.nodeAudits`). */
export interface NodeAuditRecord {
  node: string;
  /** When the node audit ran (ISO 8601), as the node recorded it. */
  auditedAt?: string;
  /** current: gathered; stale: older than the limit, not gathered; unreadable: its record could not be read; missing: no audit for a node the cluster lists. */
  status: 'current' | 'stale' | 'unreadable' | 'missing';
  /** Where the record came from: `configmap kubeharden-node/kubeharden-node-worker-1`, a file. */
  source?: string;
  /** The benchmark the node was judged against (`cis-1.12`, `cis-eks-1.8`, `k3s-cis-1.12`…). */
  benchmark?: string;
}

export interface Evidence {
  /** What was looked at: `kube-apiserver --anonymous-auth`, `/etc/kubernetes/admin.conf`. */
  subject: string;
  /** The value seen, or undefined when absent. */
  value?: string;
  /** Where it was seen: process 1234, a manifest path, a config file and key. */
  source?: string;
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Location {
  file: string;
  line?: number;
  column?: number;
  /** The field path inside the object: spec.containers[0].securityContext.runAsNonRoot */
  path: string;
}

export interface Finding {
  /** Stable across runs and reformatting: check + resource + path. */
  fingerprint: string;
  check: string;
  severity: Severity;
  message: string;
  resource: ResourceRef;
  location: Location;
  controls: string[];
  remediation: string;
  fix?: PatchOp[];
  /** Present when an exception covers this finding: it is shown but does not count. */
  exception?: { reason: string; expires?: string; source: string };
  /** The node a node-audit finding was seen on, when the audit knows its node name. */
  node?: string;
}

export interface InputError {
  source: string;
  line?: number;
  column?: number;
  message: string;
  level: 'error' | 'warning';
}

export interface FrameworkScore {
  pass: number;
  fail: number;
  manual: number;
  /** Percentage of decided controls that pass, 0–100, one decimal. */
  score: number;
}

export interface Result {
  schemaVersion: number;
  tool: { name: 'kubeharden'; version: string };
  target: { type: 'manifests' | 'cluster' | 'node' | 'snapshot'; [key: string]: unknown };
  settings: { pssLevel: string; pssVersion: string; failOn: string; frameworks: string[] };
  summary: {
    objects: number;
    findings: Record<Severity, number>;
    excepted: number;
    /** With --baseline: findings left out because the baseline already had them. */
    inBaseline?: number;
    frameworks: Record<string, FrameworkScore>;
  };
  checks: CheckResult[];
  findings: Finding[];
  errors: InputError[];
}

/** Where a finding is, for people: its file, prefixed by its node for node-audit findings (`worker-1:/etc/kubernetes/kubelet.conf`). */
export function findingFile(f: Pick<Finding, 'node' | 'location'>): string {
  return f.node !== undefined ? `${f.node}:${f.location.file}` : f.location.file;
}
