// PolicyReport output (wgpolicyk8s.io/v1alpha2): every report is checked against a zod mirror
// of the CRD's structural schema, on real scans — the demo cluster through the engine, and a
// node audit of a real host root (test/sources/node/roots.ts) — and through the real CLI.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { scanManifests } from '../../src/engine/scan.js';
import { runNodeChecks } from '../../src/engine/node-run.js';
import { cisNodeChecks } from '../../src/checks/node/index.js';
import { collectNodeFacts } from '../../src/sources/node/collect.js';
import type { Finding, Result } from '../../src/result/result.js';
import {
  buildPolicyReports,
  policyReportApiPath,
  renderPolicyReports,
  type PolicyReportObject,
  type PolicyReportResult,
} from '../../src/report/policyreport.js';
import { REPO_ROOT } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';
import { buildRoot } from '../sources/node/roots.js';

// ---- The CRD, as Kyverno ships it (config/crds/policyreport/wgpolicyk8s.io_policyreports.yaml).
// Wrong types and enum values are rejected by the API server; unknown fields it prunes silently,
// which would lose data, so these objects are strict: an unknown field fails here.
const objectReference = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    name: z.string(),
    namespace: z.string(),
    uid: z.string(),
    resourceVersion: z.string(),
    fieldPath: z.string(),
  })
  .partial()
  .strict();
const labelSelector = z
  .object({
    matchLabels: z.record(z.string()),
    matchExpressions: z.array(z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() }).strict()),
  })
  .partial()
  .strict();
const policyReportResult = z
  .object({
    policy: z.string(),
    rule: z.string().optional(),
    source: z.string().optional(),
    category: z.string().optional(),
    severity: z.enum(['critical', 'high', 'low', 'medium', 'info']).optional(),
    result: z.enum(['pass', 'fail', 'warn', 'error', 'skip']).optional(),
    scored: z.boolean().optional(),
    message: z.string().optional(),
    resources: z.array(objectReference).optional(),
    resourceSelector: labelSelector.optional(),
    properties: z.record(z.string()).optional(),
    timestamp: z
      .object({
        seconds: z.number().int(),
        nanos: z.number().int().min(0).max(999_999_999),
      })
      .strict()
      .optional(),
  })
  .strict();
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// metadata is `type: object` in the CRD; the API server checks ObjectMeta itself: names are DNS
// subdomains, namespaces DNS labels, label and annotation values strings.
const metadata = z
  .object({
    name: z.string().max(253).regex(DNS_SUBDOMAIN),
    namespace: z.string().max(63).regex(DNS_LABEL).optional(),
    labels: z.record(z.string().max(63)).optional(),
    annotations: z.record(z.string()).optional(),
  })
  .strict();
const int = z.number().int().min(0);
const reportBody = {
  apiVersion: z.literal('wgpolicyk8s.io/v1alpha2'),
  metadata,
  scope: objectReference.optional(),
  scopeSelector: labelSelector.optional(),
  summary: z.object({ pass: int, fail: int, warn: int, error: int, skip: int }).partial().strict().optional(),
  results: z.array(policyReportResult).optional(),
};
const policyReportSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('PolicyReport'), ...reportBody }).strict(),
  z.object({ kind: z.literal('ClusterPolicyReport'), ...reportBody }).strict(),
]);

function validate(reports: PolicyReportObject[]): void {
  assert.ok(reports.length > 0);
  for (const report of reports) {
    const parsed = policyReportSchema.safeParse(report);
    assert.ok(parsed.success, `${report.kind} ${report.metadata.name}: ${parsed.success ? '' : parsed.error.message}`);
    if (report.kind === 'PolicyReport') assert.ok(report.metadata.namespace, 'a PolicyReport has a namespace');
    else assert.equal((report.metadata as { namespace?: string }).namespace, undefined, 'a ClusterPolicyReport has no namespace');
    for (const r of report.results) for (const value of Object.values(r.properties)) assert.equal(typeof value, 'string');
    const counts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    for (const r of report.results) counts[r.result]++;
    assert.deepEqual(report.summary, counts, `summary of ${report.metadata.name}`);
  }
}

const NOW = new Date('2026-03-04T05:06:07.891Z');
const DEMO = path.join(REPO_ROOT, 'examples', 'demo-cluster');
/** The namespace of a PolicyReport, or the cluster: what a split report keeps. */
const home = (report: PolicyReportObject) => (report.kind === 'PolicyReport' ? report.metadata.namespace : 'cluster');
const where = (report: PolicyReportObject) => (report.kind === 'PolicyReport' ? `ns/${report.metadata.namespace}` : report.metadata.name);
/** Every result of every report, keyed by finding fingerprint (check-level results have none). */
function byFingerprint(reports: PolicyReportObject[]): Map<string, { report: PolicyReportObject; result: PolicyReportResult }[]> {
  const map = new Map<string, { report: PolicyReportObject; result: PolicyReportResult }[]>();
  for (const report of reports) {
    for (const result of report.results) {
      const fp = result.properties.fingerprint;
      if (fp) map.set(fp, [...(map.get(fp) ?? []), { report, result }]);
    }
  }
  return map;
}

test('demo cluster: every finding once, in its namespace or the cluster report, excepted ones skipped', async () => {
  const result = await scanManifests([DEMO], {
    now: NOW,
    exceptions: [{ check: 'container-not-privileged', resource: { namespace: 'logging' }, reason: 'the log agent reads host logs', source: 'test exceptions[0]' }],
  });
  const excepted = result.findings.filter((f) => f.exception);
  assert.ok(excepted.length > 0, 'the exception covers a finding');
  const reports = buildPolicyReports(result, { now: NOW });
  validate(reports);
  assert.deepEqual(
    reports.map((r) => `${r.kind} ${where(r)} ${r.metadata.name}`),
    ['ClusterPolicyReport kubeharden-cluster kubeharden-cluster', ...['default', 'logging', 'payments', 'shop'].map((ns) => `PolicyReport ns/${ns} kubeharden`)],
  );
  for (const r of reports) {
    assert.equal(r.metadata.labels['app.kubernetes.io/managed-by'], 'kubeharden');
    assert.equal(r.metadata.labels['kubeharden.io/report'], r.kind === 'PolicyReport' ? 'namespace' : 'cluster');
    assert.equal(r.metadata.annotations['kubeharden.io/target'], 'manifests');
    assert.equal(r.scope, undefined);
  }

  const seen = byFingerprint(reports);
  const categories = new Map(result.checks.map((c) => [c.id, c.category]));
  for (const f of result.findings) {
    const hits = seen.get(f.fingerprint) ?? [];
    assert.equal(hits.length, 1, `finding ${f.fingerprint} (${f.check}) appears once`);
    const { report, result: r } = hits[0]!;
    assert.equal(where(report), f.resource.namespace ? `ns/${f.resource.namespace}` : 'kubeharden-cluster');
    assert.equal(r.result, f.exception ? 'skip' : 'fail');
    assert.deepEqual(
      { policy: r.policy, source: r.source, category: r.category, severity: r.severity, scored: r.scored, message: r.message },
      { policy: f.check, source: 'kubeharden', category: categories.get(f.check), severity: f.severity, scored: true, message: f.message },
    );
    assert.deepEqual(r.resources, [{ apiVersion: f.resource.apiVersion, kind: f.resource.kind, name: f.resource.name, ...(f.resource.namespace ? { namespace: f.resource.namespace } : {}) }]);
    assert.equal(r.properties.controls, f.controls.length ? f.controls.join(',') : undefined, 'checks of no framework (reliability) carry no controls property');
    assert.equal(r.properties.path, f.location.path);
    assert.equal(r.properties.file, f.location.file);
    assert.equal(r.properties.line, String(f.location.line));
    assert.equal(r.properties.remediation, f.remediation);
    assert.equal(r.properties.exception, f.exception?.reason);
    assert.deepEqual(r.timestamp, { seconds: 1772600767, nanos: 891_000_000 });
    assert.equal('rule' in r, false);
  }
  // Nothing else is a finding: the fail results are exactly the non-excepted findings.
  const fails = reports.flatMap((r) => r.results.filter((x) => x.result === 'fail'));
  assert.equal(fails.length, result.findings.length - excepted.length);
  assert.ok(fails.every((x) => x.properties.fingerprint));
});

test('demo cluster: check-level pass and skip outcomes go to the cluster report, without resources', async () => {
  const result = await scanManifests([DEMO], { now: NOW });
  const reports = buildPolicyReports(result, { now: NOW });
  const cluster = reports.find((r) => r.metadata.name === 'kubeharden-cluster')!;
  const checkLevel = cluster.results.filter((r) => !r.properties.fingerprint);
  const passing = result.checks.filter((c) => c.status === 'pass' && c.passed > 0);
  const skipped = result.checks.filter((c) => c.status === 'skip');
  assert.ok(passing.length > 0 && skipped.length > 0);
  assert.deepEqual(
    checkLevel.map((r) => `${r.policy} ${r.result}`),
    result.checks.filter((c) => passing.includes(c) || skipped.includes(c)).map((c) => `${c.id} ${c.status}`),
  );
  for (const r of checkLevel) {
    const check = result.checks.find((c) => c.id === r.policy)!;
    assert.equal(r.resources, undefined);
    assert.equal(r.message, check.reason ?? check.title);
    assert.equal(r.properties.passed, String(check.passed));
    assert.equal(r.severity, check.severity);
  }
  // A failed check is represented by its findings, not by a check-level result as well.
  const failed = new Set(result.checks.filter((c) => c.status === 'fail').map((c) => c.id));
  assert.ok(failed.size > 0);
  assert.ok(reports.every((r) => r.results.every((x) => !failed.has(x.policy) || x.properties.fingerprint)));
});

const nodeRoot = buildRoot('control-plane', 'weak');
after(() => rmSync(nodeRoot, { recursive: true, force: true }));

async function nodeAudit(): Promise<Result> {
  const facts = collectNodeFacts({ root: nodeRoot });
  return runNodeChecks(facts, cisNodeChecks, { type: 'node', root: nodeRoot });
}

/** A cluster result that gathered the audit of node cp-1 (the weak host) and of a clean worker-1. */
async function gatheredResult(): Promise<Result> {
  const audit = await nodeAudit();
  return {
    ...audit,
    target: { type: 'cluster' },
    findings: audit.findings.map((f) => ({ ...f, node: 'cp-1' })),
    checks: audit.checks.map((c) => ({
      ...c,
      nodes: [
        { node: 'cp-1', status: c.status, passed: c.passed, failed: c.failed, ...(c.reason ? { reason: c.reason } : {}) },
        { node: 'worker-1', status: 'pass', passed: 1, failed: 0 },
      ],
    })),
  };
}

test('node audits: one Node-scoped report per node, no non-Kubernetes resources, warn/manual mapped', async () => {
  const result = await gatheredResult();
  const reports = buildPolicyReports(result, { now: NOW });
  validate(reports);
  assert.deepEqual(
    reports.map((r) => [r.kind, r.metadata.name, r.metadata.labels['kubeharden.io/report'], r.metadata.labels['kubeharden.io/node'], r.scope]),
    [
      ['ClusterPolicyReport', 'kubeharden-node-cp-1', 'node', 'cp-1', { apiVersion: 'v1', kind: 'Node', name: 'cp-1' }],
      ['ClusterPolicyReport', 'kubeharden-node-worker-1', 'node', 'worker-1', { apiVersion: 'v1', kind: 'Node', name: 'worker-1' }],
    ],
  );
  const [cp1, worker1] = reports as [PolicyReportObject, PolicyReportObject];
  const seen = byFingerprint(reports);
  const kinds = new Set(result.findings.map((f) => f.resource.kind));
  assert.ok(kinds.has('File') && kinds.has('Pod'), `the audit finds files and static pods: ${[...kinds]}`);
  for (const f of result.findings) {
    const hits = seen.get(f.fingerprint) ?? [];
    assert.equal(hits.length, 1);
    assert.equal(hits[0]!.report, cp1);
    const r = hits[0]!.result;
    const status = result.checks.find((c) => c.id === f.check)!.status;
    // A failing CIS Manual item is warn, never fail, and is not scored.
    assert.equal(r.result, status === 'warn' ? 'warn' : 'fail', f.check);
    assert.equal(r.scored, status !== 'warn');
    if (f.resource.apiVersion === 'node/v1') {
      assert.equal(r.resources, undefined);
      assert.equal(r.properties[f.resource.kind.toLowerCase()], f.resource.name);
    } else {
      assert.deepEqual(r.resources, [{ apiVersion: 'v1', kind: 'Pod', name: f.resource.name, namespace: 'kube-system' }]);
    }
  }
  assert.ok(reports.every((r) => r.results.every((x) => x.resources?.every((ref) => ref.apiVersion !== 'node/v1') ?? true)));

  const byPolicy = (report: PolicyReportObject, id: string) => report.results.filter((r) => r.policy === id && !r.properties.fingerprint);
  const manual = result.checks.find((c) => c.status === 'manual')!;
  assert.deepEqual(
    byPolicy(cp1, manual.id).map((r) => [r.result, r.message, r.properties.manual, r.scored]),
    [['skip', manual.reason, 'true', false]],
  );
  // A warn item without findings is its own result; a warn item with findings is not repeated.
  const warnWithout = result.checks.filter((c) => c.status === 'warn' && !result.findings.some((f) => f.check === c.id));
  const warnWith = result.checks.filter((c) => c.status === 'warn' && result.findings.some((f) => f.check === c.id));
  assert.ok(warnWithout.length > 0 && warnWith.length > 0);
  for (const c of warnWithout) assert.deepEqual(byPolicy(cp1, c.id).map((r) => r.result), ['warn']);
  for (const c of warnWith) assert.deepEqual(byPolicy(cp1, c.id), []);
  const passing = result.checks.filter((c) => c.status === 'pass' && c.passed > 0);
  assert.ok(passing.length > 0);
  for (const c of passing) assert.deepEqual(byPolicy(cp1, c.id).map((r) => r.result), ['pass']);
  // worker-1 passed every item: one pass result per check, nothing else.
  assert.deepEqual(worker1.results.map((r) => `${r.policy} ${r.result}`), result.checks.map((c) => `${c.id} pass`));
  assert.deepEqual(worker1.summary, { pass: result.checks.length, fail: 0, warn: 0, error: 0, skip: 0 });
});

test('a scan --node result: in the cluster report without node/v1 resources, or in the named node report', async () => {
  const result = await nodeAudit();
  const anonymous = buildPolicyReports(result, { now: NOW });
  validate(anonymous);
  assert.deepEqual(anonymous.map((r) => `${r.kind} ${where(r)}`), ['ClusterPolicyReport kubeharden-cluster', 'PolicyReport ns/kube-system']);
  const refs = anonymous.flatMap((r) => r.results.flatMap((x) => x.resources ?? []));
  assert.ok(refs.length > 0 && refs.every((ref) => ref.kind === 'Pod' && ref.apiVersion === 'v1'));

  const named = buildPolicyReports(result, { now: NOW, node: 'cp-1' });
  validate(named);
  assert.deepEqual(named.map((r) => `${r.kind} ${r.metadata.name} ${r.scope?.kind}/${r.scope?.name}`), ['ClusterPolicyReport kubeharden-node-cp-1 Node/cp-1']);
  assert.equal(named[0]!.results.length, anonymous.reduce((n, r) => n + r.results.length, 0));
});

test('a large report splits into kubeharden, kubeharden-2…: each under the limit, every result exactly once', async () => {
  const result = await scanManifests([DEMO], { now: NOW });
  const whole = buildPolicyReports(result, { now: NOW });
  const maxReportBytes = 6000;
  const split = buildPolicyReports(result, { now: NOW, maxReportBytes });
  validate(split);
  assert.ok(split.length > whole.length + 3, `split into ${split.length} reports`);
  for (const report of split) assert.ok(Buffer.byteLength(JSON.stringify(report)) <= maxReportBytes, `${where(report)} ${report.metadata.name}`);
  for (const original of whole) {
    const parts = split.filter((r) => home(r) === home(original));
    const base = original.metadata.name;
    assert.deepEqual(parts.map((r) => r.metadata.name), parts.map((_, i) => (i === 0 ? base : `${base}-${i + 1}`)));
    assert.deepEqual(parts.flatMap((r) => r.results), original.results);
  }
  assert.equal(split.reduce((n, r) => n + r.results.length, 0), whole.reduce((n, r) => n + r.results.length, 0));
  // A result larger than the limit cannot be split: it gets a report of its own.
  const single = buildPolicyReports(result, { now: NOW, maxReportBytes: 1 });
  validate(single);
  assert.ok(single.every((r) => r.results.length === 1));
  assert.equal(single.length, whole.reduce((n, r) => n + r.results.length, 0));
  assert.throws(() => buildPolicyReports(result, { now: NOW, maxReportBytes: 0 }), /maxReportBytes must be a positive number/);
});

test('node names: invalid, over-long and colliding ones still give distinct valid report names', async () => {
  const audit = await nodeAudit();
  const file = audit.findings.find((f) => f.resource.kind === 'File')!;
  const nodes = ['w1', 'w1-2', 'Worker_1', 'n'.repeat(250), 'n'.repeat(249) + 'm'];
  const findings: Finding[] = nodes.flatMap((node) =>
    Array.from({ length: 3 }, (_, i) => ({ ...file, node, fingerprint: `${node.slice(0, 8)}-${i}`, message: 'x'.repeat(400) })),
  );
  const result: Result = { ...audit, target: { type: 'cluster' }, checks: [], findings };
  const maxReportBytes = 2000;
  const reports = buildPolicyReports(result, { now: NOW, maxReportBytes });
  validate(reports);
  for (const report of reports) assert.ok(Buffer.byteLength(JSON.stringify(report)) <= maxReportBytes);
  const names = reports.map((r) => r.metadata.name);
  assert.equal(new Set(names).size, names.length, `distinct names: ${names.join(' ')}`);
  for (const node of nodes) {
    const own = reports.filter((r) => r.scope?.name === node);
    assert.ok(own.length >= 2, `node ${node.slice(0, 10)} is split`);
    assert.deepEqual(own.flatMap((r) => r.results.map((x) => x.properties.fingerprint)), findings.filter((f) => f.node === node).map((f) => f.fingerprint));
    // A label value has at most 63 characters; the scope names the node in any case.
    assert.equal(own[0]!.metadata.labels['kubeharden.io/node'], node.length <= 63 ? node : undefined);
  }
  // w1's second part and node w1-2 would both be kubeharden-node-w1-2: both get a hashed name.
  assert.ok(!names.includes('kubeharden-node-w1-2'));
  assert.match(reports.find((r) => r.scope?.name === 'w1')!.metadata.name, /^kubeharden-node-w1-[0-9a-f]{10}$/);
  assert.match(reports.find((r) => r.scope?.name === 'Worker_1')!.metadata.name, /^kubeharden-node-worker-1-[0-9a-f]{10}$/);
});

test('hostile names and messages survive YAML: parsed back as kubectl reads it (YAML 1.1), equal to the objects', async () => {
  const hostile = `apiVersion: v1
kind: Pod
metadata:
  name: "yes"
  namespace: "on"
  annotations: {note: "x"}
spec:
  containers:
  - {name: "0644", image: "nginx:1.27"}
---
apiVersion: v1
kind: Pod
metadata:
  name: "a: b # c\\n--- \\"d\\" &e *f"
  namespace: "<img src=x onerror=alert(1)>"
spec:
  containers:
  - {name: "~", image: "nginx:1.27"}
`;
  const result = await scanManifests(['-'], { readStdin: async () => hostile, now: NOW });
  assert.ok(result.findings.length > 0);
  const reports = buildPolicyReports(result, { now: NOW });
  validate(reports);
  // The namespace no cluster could have goes to the cluster report; the object keeps it in resources.
  assert.deepEqual(reports.map((r) => `${r.kind} ${where(r)}`), ['ClusterPolicyReport kubeharden-cluster', 'PolicyReport ns/on']);
  assert.ok(reports[0]!.results.some((r) => r.resources?.[0]?.namespace === '<img src=x onerror=alert(1)>'));
  const text = renderPolicyReports(result, { now: NOW });
  const docs = parseAllDocuments(text, { version: '1.1' });
  assert.ok(Array.isArray(docs));
  for (const doc of docs) assert.deepEqual(doc.errors, []);
  assert.deepEqual(docs.map((d) => d.toJS()), JSON.parse(JSON.stringify(reports)));
  assert.match(text, /name: "yes"/);
  assert.doesNotMatch(text, /&a1|\*a1/, 'no YAML aliases for shared values');
});

test('policyReportApiPath: where the cluster writer puts each report', () => {
  assert.equal(
    policyReportApiPath({ kind: 'PolicyReport', metadata: { name: 'kubeharden-2', namespace: 'shop' } }),
    '/apis/wgpolicyk8s.io/v1alpha2/namespaces/shop/policyreports/kubeharden-2',
  );
  assert.equal(
    policyReportApiPath({ kind: 'ClusterPolicyReport', metadata: { name: 'kubeharden-node-cp-1' } }),
    '/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/kubeharden-node-cp-1',
  );
});

test('CLI: scan examples/demo-cluster --format policyreport prints YAML reports', async () => {
  const run = await runCli(['scan', 'examples/demo-cluster', '--format', 'policyreport', '--fail-on', 'none']);
  assert.equal(run.code, 0, run.stderr);
  const docs = parseAllDocuments(run.stdout, { version: '1.1' });
  assert.ok(Array.isArray(docs));
  const reports = docs.map((d) => d.toJS() as PolicyReportObject);
  validate(reports);
  assert.deepEqual(reports.map((r) => `${r.kind} ${where(r)}`), ['ClusterPolicyReport kubeharden-cluster', 'PolicyReport ns/default', 'PolicyReport ns/logging', 'PolicyReport ns/payments', 'PolicyReport ns/shop']);
  const seconds = reports[0]!.results[0]!.timestamp.seconds;
  assert.ok(Math.abs(seconds - Date.now() / 1000) < 600, 'stamped with the time of the scan');
});
