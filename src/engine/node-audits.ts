// Node audits gathered into one cluster result.
//
// Each node audits itself (`kubeharden scan --node --publish`, the DaemonSet in deploy/) and
// stores its Result, gzipped, in a ConfigMap of the node-audit namespace. A cluster scan lists
// ConfigMaps anyway, so it finds those records in its inventory (and a snapshot keeps them, so
// the offline scan gathers the same), decodes them and folds them in: every node check gets one
// outcome per node (`CheckResult.nodes`) and its status becomes the worst of them; node findings
// carry their node. `kubeharden merge` does the same with Result files (`kubectl logs` of the
// node Jobs).
//
// Rules that keep the gathered result honest:
// - Only records in the node-audit namespace count, and only with the node-audit label.
// - A record older than the age limit is not gathered (the node's checks would describe an
//   old state); it is reported, as is a record that cannot be read, and every node the
//   cluster lists that has no record — once node auditing is in use (a record exists).
// - A control-plane item the cluster scan also judged from a mirror (static) pod is judged by
//   the node audit for the nodes it covers: the mirror pod's findings on those nodes are
//   dropped, so one misconfigured flag is not reported twice.
// - The cluster scan's config applies: disabled checks, severity overrides and exceptions.

import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { NODE_AUDIT_DATA_KEY, NODE_AUDIT_LABEL, NODE_AUDIT_NAMESPACE, NODE_AUDIT_NODE_ANNOTATION } from '../result/node-audit-record.js';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../result/result.js';
import { isMapping } from '../inventory/model.js';
import type { Inventory } from '../inventory/inventory.js';
import { findException, hostExceptionTarget, type ExceptionRule } from './exceptions.js';
import type { CheckResult, CheckStatus, Finding, InputError, NodeAuditRecord, NodeCheckOutcome, Result } from '../result/result.js';
import { FRAMEWORKS, scoreFrameworks, type Framework } from './run.js';
import { sortFindings } from './scan.js';
import { inFramework, scoredFrameworks } from './framework-family.js';
import { TOOL_VERSION } from '../version.js';

/** Default age limit: the DaemonSet audits every 24 hours, so a day's slack. */
const DEFAULT_NODE_AUDIT_MAX_AGE_MS = 48 * 3600 * 1000;
/** A node Result is tens of kilobytes; anything near this is not one (or is a zip bomb). */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

/** One node's audit, ready to be gathered. */
export interface NodeAudit {
  node: string;
  auditedAt?: string;
  result: Result;
  /** Where it was read: `configmap kubeharden-node/node-audit-worker-1`, a file name. */
  source: string;
}

/** A record that could not be read, with why. */
export interface UnreadableNodeAudit {
  source: string;
  node?: string;
  problem: string;
}

// ---------------------------------------------------------------------------------------------
// The ConfigMap record

/** The node-audit records among an inventory's ConfigMaps, decoded. */
export function nodeAuditsFromInventory(inventory: Inventory, namespace = NODE_AUDIT_NAMESPACE): { audits: NodeAudit[]; unreadable: UnreadableNodeAudit[] } {
  const audits: NodeAudit[] = [];
  const unreadable: UnreadableNodeAudit[] = [];
  for (const object of inventory.inNamespace('ConfigMap', namespace)) {
    if (object.labels[NODE_AUDIT_LABEL] !== 'true') continue;
    const decoded = decodeNodeAuditConfigMap(object.raw, `configmap ${namespace}/${object.name}`);
    if ('problem' in decoded) unreadable.push(decoded);
    else audits.push(decoded);
  }
  return { audits, unreadable };
}

export function decodeNodeAuditConfigMap(raw: Record<string, unknown>, source: string): NodeAudit | UnreadableNodeAudit {
  const metadata = isMapping(raw.metadata) ? raw.metadata : {};
  const annotations = isMapping(metadata.annotations) ? metadata.annotations : {};
  const node = typeof annotations[NODE_AUDIT_NODE_ANNOTATION] === 'string' ? (annotations[NODE_AUDIT_NODE_ANNOTATION] as string) : undefined;
  const data = isMapping(raw.binaryData) ? raw.binaryData[NODE_AUDIT_DATA_KEY] : undefined;
  if (typeof data !== 'string') return { source, node, problem: `it has no binaryData "${NODE_AUDIT_DATA_KEY}"` };
  let text: string;
  try {
    text = gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: MAX_DECODED_BYTES }).toString('utf8');
  } catch (err) {
    return { source, node, problem: `"${NODE_AUDIT_DATA_KEY}" is not gzip data of at most ${MAX_DECODED_BYTES / 1024 / 1024} MiB (${(err as Error).message})` };
  }
  return parseNodeResult(text, source, node);
}

/** A node Result from JSON text (a ConfigMap's, or a file given to `kubeharden merge`). */
function parseNodeResult(text: string, source: string, expectedNode?: string): NodeAudit | UnreadableNodeAudit {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { source, node: expectedNode, problem: `not valid JSON (${(err as Error).message})` };
  }
  return nodeAuditFromValue(value, source, expectedNode);
}

/** A node Result already parsed from JSON, validated. */
export function nodeAuditFromValue(value: unknown, source: string, expectedNode?: string): NodeAudit | UnreadableNodeAudit {
  const parsed = NODE_RESULT.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { source, node: expectedNode, problem: `not a kubeharden node Result: ${issue.path.join('.') || '(top)'}: ${issue.message}` };
  }
  const result = parsed.data as unknown as Result;
  const node = typeof result.target.node === 'string' ? result.target.node : undefined;
  if (!node) return { source, node: expectedNode, problem: 'the node Result does not name its node (target.node); audit with --node-name' };
  if (expectedNode !== undefined && expectedNode !== node) {
    return { source, node: expectedNode, problem: `it is labelled for node "${expectedNode}" but holds the audit of node "${node}"` };
  }
  const auditedAt = typeof result.target.auditedAt === 'string' ? result.target.auditedAt : undefined;
  return { node, auditedAt, result, source };
}

// The parts of a node Result that gathering reads; anything else is kept as it is.
const SEVERITY = z.enum(SEVERITIES as unknown as [Severity, ...Severity[]]);
const STATUS = z.enum(['pass', 'fail', 'warn', 'manual', 'skip', 'error']);
const NODE_RESULT = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('kubeharden'), version: z.string() }),
  target: z.object({ type: z.literal('node') }).passthrough(),
  checks: z.array(
    z.object({
      id: z.string(), title: z.string(), severity: SEVERITY, category: z.string(), status: STATUS,
      controls: z.array(z.string()), passed: z.number(), failed: z.number(), reason: z.string().optional(),
    }).passthrough(),
  ),
  findings: z.array(
    z.object({
      fingerprint: z.string(), check: z.string(), severity: SEVERITY, message: z.string(),
      resource: z.object({ apiVersion: z.string(), kind: z.string(), name: z.string(), namespace: z.string().optional() }),
      location: z.object({ file: z.string(), path: z.string(), line: z.number().optional(), column: z.number().optional() }),
      controls: z.array(z.string()), remediation: z.string(),
      exception: z.object({ reason: z.string(), expires: z.string().optional(), source: z.string() }).optional(),
    }).passthrough(),
  ),
  errors: z.array(z.object({ source: z.string(), message: z.string(), level: z.enum(['error', 'warning']) }).passthrough()),
}).passthrough();

// ---------------------------------------------------------------------------------------------
// Gathering

export interface GatherOptions {
  /** The time the cluster was read: records older than `maxAgeMs` before it are stale. */
  now: Date;
  maxAgeMs?: number;
  /** Nodes the cluster lists; those without a record are reported once auditing is in use. */
  clusterNodes?: readonly string[];
  /** The node a Pod finding's Pod runs on (static pods have spec.nodeName), to drop duplicates. */
  podNode?: (finding: Finding) => string | undefined;
  unreadable?: readonly UnreadableNodeAudit[];
  disabled?: Iterable<string>;
  severityOverrides?: Record<string, Severity>;
  exceptions?: ExceptionRule[];
  frameworks?: Framework[];
}

/** Status order for combining nodes: the worst decides. A skip (not applicable, or unknown) never hides a decision. */
const WORST_FIRST: CheckStatus[] = ['fail', 'warn', 'error', 'manual', 'pass', 'skip'];

/** Folds node audits into a cluster Result (in place) and returns it. */
export function gatherNodeAudits(result: Result, audits: readonly NodeAudit[], options: GatherOptions): Result {
  const maxAge = options.maxAgeMs ?? DEFAULT_NODE_AUDIT_MAX_AGE_MS;
  const records = new Map<string, NodeAuditRecord>();
  const errors: InputError[] = [];

  for (const bad of options.unreadable ?? []) {
    if (bad.node !== undefined) records.set(bad.node, { node: bad.node, status: 'unreadable', source: bad.source });
    errors.push({ source: bad.source, message: `node audit record not gathered: ${bad.problem}`, level: 'error' });
  }

  // The newest record per node; older duplicates (a renamed ConfigMap, two files) are dropped.
  const newest = new Map<string, NodeAudit>();
  for (const audit of audits) {
    const known = newest.get(audit.node);
    if (!known || timeOf(audit) > timeOf(known)) newest.set(audit.node, audit);
  }
  const current: NodeAudit[] = [];
  for (const audit of [...newest.values()].sort((a, b) => (a.node < b.node ? -1 : 1))) {
    const age = options.now.getTime() - timeOf(audit);
    if (audit.auditedAt === undefined || Number.isNaN(timeOf(audit))) {
      records.set(audit.node, { node: audit.node, status: 'unreadable', source: audit.source });
      errors.push({ source: audit.source, message: `node audit of ${audit.node} not gathered: it does not say when it ran (target.auditedAt)`, level: 'error' });
      continue;
    }
    if (age > maxAge) {
      records.set(audit.node, { node: audit.node, auditedAt: audit.auditedAt, status: 'stale', source: audit.source });
      errors.push({
        source: audit.source,
        message: `node audit of ${audit.node} is from ${audit.auditedAt}, ${describeAge(age)} before this scan and over the limit of ${describeAge(maxAge)}; not gathered (is the node audit still running on that node?)`,
        level: 'warning',
      });
      continue;
    }
    records.set(audit.node, { node: audit.node, auditedAt: audit.auditedAt, status: 'current', source: audit.source, ...benchmarkOfAudit(audit) });
    if (audit.result.tool.version !== TOOL_VERSION) {
      errors.push({ source: audit.source, message: `node ${audit.node} was audited by kubeharden ${audit.result.tool.version}; this is ${TOOL_VERSION}, so check ids may differ`, level: 'warning' });
    }
    current.push(audit);
  }

  if (records.size > 0) {
    const missing = (options.clusterNodes ?? []).filter((n) => !records.has(n)).sort();
    for (const node of missing) records.set(node, { node, status: 'missing' });
    if (missing.length) {
      const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ` and ${missing.length - 10} more` : '');
      errors.push({ source: 'node audits', message: `${missing.length} node(s) of the cluster have no node audit: ${shown}`, level: 'warning' });
    }
  }

  if (current.length) foldIntoResult(result, current, options);
  result.errors.push(...errors);
  if (records.size) result.target.nodeAudits = [...records.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  return result;
}

function foldIntoResult(result: Result, audits: readonly NodeAudit[], options: GatherOptions): void {
  const disabled = new Set(options.disabled ?? []);
  const frameworks = options.frameworks?.length ? options.frameworks : [...FRAMEWORKS];
  const inFrameworks = (controls: readonly string[]) => !options.frameworks?.length || controls.some((c) => inFramework(c, frameworks));
  const exceptionWarnings = new Map<string, InputError>();

  // Per check id: each node's outcome, and the first node's metadata for checks the cluster scan did not run.
  const outcomes = new Map<string, NodeCheckOutcome[]>();
  const metadata = new Map<string, CheckResult>();
  const nodeFindings: Finding[] = [];
  for (const audit of audits) {
    const mine = new Map<string, NodeCheckOutcome>();
    for (const check of audit.result.checks) {
      if (disabled.has(check.id) || !inFrameworks(check.controls)) continue;
      if (!metadata.has(check.id)) metadata.set(check.id, check);
      let list = outcomes.get(check.id);
      if (!list) outcomes.set(check.id, (list = []));
      const outcome: NodeCheckOutcome = { node: audit.node, status: check.status, passed: check.passed, failed: check.failed, ...(check.reason ? { reason: check.reason } : {}) };
      list.push(outcome);
      mine.set(check.id, outcome);
    }
    for (const f of audit.result.findings) {
      const outcome = mine.get(f.check);
      if (!outcome) continue;
      const finding = nodeFinding(f, audit.node, options, exceptionWarnings);
      if (finding.exception && !f.exception) exceptNodeFinding(outcome);
      nodeFindings.push(finding);
    }
    for (const e of audit.result.errors) result.errors.push({ ...e, source: `node ${audit.node}: ${e.source}` });
  }

  // Mirror-pod findings on audited nodes: the node audit judged the same component there.
  const judgedOn = (checkId: string, node: string) => outcomes.get(checkId)?.some((o) => o.node === node && o.status !== 'skip') ?? false;
  const dropped = new Map<string, number>();
  result.findings = result.findings.filter((f) => {
    if (f.resource.kind !== 'Pod' || !outcomes.has(f.check)) return true;
    const node = options.podNode?.(f);
    if (node === undefined || !judgedOn(f.check, node)) return true;
    if (!f.exception) dropped.set(f.check, (dropped.get(f.check) ?? 0) + 1);
    return false;
  });

  const stillFailing = new Set(result.findings.filter((f) => !f.exception).map((f) => f.check));
  for (const [id, nodes] of outcomes) {
    const existing = result.checks.find((c) => c.id === id);
    const template = existing ?? metadata.get(id)!;
    const severity = options.severityOverrides?.[id] ?? template.severity;
    const clusterPart = existing ? clusterOutcome(existing, dropped.get(id) ?? 0, stillFailing.has(id)) : undefined;
    const parts = clusterPart ? [clusterPart, ...nodes] : nodes;
    const status = WORST_FIRST.find((s) => parts.some((p) => p.status === s)) ?? 'skip';
    const merged: CheckResult = {
      id,
      title: template.title,
      severity,
      category: template.category,
      status,
      controls: template.controls,
      passed: parts.reduce((n, p) => n + p.passed, 0),
      failed: parts.reduce((n, p) => n + p.failed, 0),
      reason: combinedReason(clusterPart, nodes),
      nodes,
    };
    // The evidence of a mirror pod is replaced by each node's reason: the nodes are the ones judged.
    if (existing) result.checks[result.checks.indexOf(existing)] = merged;
    else result.checks.push(merged);
  }

  result.findings.push(...nodeFindings);
  sortFindings(result);
  // The components and files the node audits read count as scanned, beside the cluster's objects.
  result.summary.objects += audits.reduce((n, a) => n + (a.result.summary?.objects ?? 0), 0);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) if (!f.exception) counts[f.severity]++;
  result.summary.findings = counts;
  result.summary.excepted = result.findings.filter((f) => f.exception).length;
  result.summary.frameworks = scoreFrameworks(result.checks, scoredFrameworks(result.checks, frameworks));
  result.errors.push(...exceptionWarnings.values());
}

/** What the cluster scan itself decided for a node check, after its duplicated mirror-pod findings were dropped. */
function clusterOutcome(check: CheckResult, dropped: number, remaining: boolean): (NodeCheckOutcome & { node: '' }) | undefined {
  const failed = Math.max(0, check.failed - dropped);
  if (check.status === 'skip' || check.status === 'manual') return undefined; // the nodes decide
  if ((check.status === 'fail' || check.status === 'warn') && !remaining && failed === 0) {
    return check.passed > 0 ? { node: '', status: 'pass', passed: check.passed, failed: 0 } : undefined;
  }
  return { node: '', status: check.status, passed: check.passed, failed, ...(check.reason ? { reason: check.reason } : {}) };
}

function combinedReason(clusterPart: NodeCheckOutcome | undefined, nodes: readonly NodeCheckOutcome[]): string {
  const parts: string[] = [];
  if (clusterPart?.reason && clusterPart.status !== 'pass') parts.push(`cluster objects: ${clusterPart.reason}`);
  for (const status of WORST_FIRST) {
    const on = nodes.filter((n) => n.status === status);
    if (!on.length) continue;
    const shown = on.slice(0, 5).map((n) => (n.reason && status !== 'pass' ? `${n.node} (${n.reason})` : n.node));
    parts.push(`${status} on ${on.length} node(s): ${shown.join('; ')}${on.length > 5 ? `; and ${on.length - 5} more` : ''}`);
  }
  return parts.join(' — ');
}

/** A finding the cluster's config excepts no longer counts on its node; with none left the item passes there, as in a node scan. */
function exceptNodeFinding(outcome: NodeCheckOutcome): void {
  outcome.failed = Math.max(0, outcome.failed - 1);
  if (outcome.failed === 0 && (outcome.status === 'fail' || outcome.status === 'warn')) {
    outcome.status = 'pass';
    outcome.reason = `every finding is covered by an exception of the cluster scan's configuration; ${outcome.reason ?? ''}`.replace(/; $/, '');
  }
}

/** A node's finding in the cluster result: its node, a fingerprint unique across nodes, the cluster's severity and exceptions. */
function nodeFinding(f: Finding, node: string, options: GatherOptions, warnings: Map<string, InputError>): Finding {
  const finding: Finding = {
    ...f,
    fingerprint: createHash('sha256').update(`${node}\u0000${f.fingerprint}`).digest('hex').slice(0, 16),
    severity: options.severityOverrides?.[f.check] ?? f.severity,
    node,
  };
  if (!finding.exception) {
    // A gathered finding has lost its manifest object: it is matched as the node's process or file.
    const exception = findException(options.exceptions ?? [], f.check, hostExceptionTarget(f.resource), options.now, warnings);
    if (exception) finding.exception = exception;
  }
  return finding;
}

/** The benchmark a node Result names (target.benchmark.name), for the per-node record. */
function benchmarkOfAudit(audit: NodeAudit): { benchmark?: string } {
  const b = audit.result.target.benchmark;
  const name = b && typeof b === 'object' ? (b as Record<string, unknown>).name : undefined;
  return typeof name === 'string' ? { benchmark: name } : {};
}

function timeOf(audit: NodeAudit): number {
  return audit.auditedAt === undefined ? Number.NaN : Date.parse(audit.auditedAt);
}

function describeAge(ms: number): string {
  const hours = ms / 3600_000;
  return hours >= 48 ? `${Math.round(hours / 24)} days` : hours >= 1 ? `${Math.round(hours)} hours` : `${Math.max(1, Math.round(ms / 60_000))} minutes`;
}
