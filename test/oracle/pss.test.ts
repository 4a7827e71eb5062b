// Pod Security oracle: every pod-bearing object of the corpus (the kinds the PodSecurity admission
// plugin judges, at API versions the server serves) and every official PSS fixture (as a Pod and
// as a Deployment's template) is created with dryRun=All in namespaces that enforce baseline and
// restricted, at latest and three pinned policy versions. The server's verdict — a Pod refused,
// or for a controller the "would violate PodSecurity" warning (PodSecurity judges controllers
// only in warn and audit mode, so the namespaces warn at the enforced level too) — must equal
// `psa preview`'s for the same namespace: 0 differences. Then `generate psa-labels` proposes
// labels per corpus file; the server must admit every workload at the proposed level and refuse
// exactly the ones the proposal names at the next stricter level.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { namespaceReports, proposePsaLabels } from '../../src/queries/psa-preview.js';
import { KUBERNETES_YAML_SCHEMA } from '../../src/inventory/yaml.js';
import { describePod } from '../../src/inventory/model.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { REPO_ROOT, inventoryFromYaml } from '../helpers.js';
import { collectionPath, mapLimit } from './client.js';
import { controlPlaneUnavailable, startPlane, type Plane } from './harness.js';

const skip = controlPlaneUnavailable();
const LEVELS = ['baseline', 'restricted'] as const;
const VERSIONS = ['latest', 'v1.18', 'v1.24', 'v1.33'];

/** The kinds PodSecurity judges (pod-security-admission's PodSpecExtractor), at the versions a v1.37 server serves. */
const JUDGED: Record<string, string> = {
  'v1/Pod': 'pods',
  'v1/ReplicationController': 'replicationcontrollers',
  'v1/PodTemplate': 'podtemplates',
  'apps/v1/Deployment': 'deployments',
  'apps/v1/ReplicaSet': 'replicasets',
  'apps/v1/StatefulSet': 'statefulsets',
  'apps/v1/DaemonSet': 'daemonsets',
  'batch/v1/Job': 'jobs',
  'batch/v1/CronJob': 'cronjobs',
};

interface Workload {
  /** Unique in every namespace: o-<n>. */
  name: string;
  kind: string;
  apiVersion: string;
  origin: string;
  raw: Record<string, any>;
}

function placed(w: Workload, namespace: string): Record<string, any> {
  const meta = w.raw.metadata ?? {};
  const out: Record<string, any> = { ...w.raw, metadata: { name: w.name, namespace, labels: meta.labels, annotations: meta.annotations } };
  delete out.status;
  return out;
}

type Verdict = 'admitted' | 'refused' | { other: string };

async function dryRun(plane: Plane, w: Workload, namespace: string): Promise<Verdict> {
  const plural = JUDGED[`${w.apiVersion}/${w.kind}`]!;
  const res = await plane.client.request('POST', `${collectionPath(w.apiVersion, plural, namespace)}?dryRun=All`, placed(w, namespace));
  const message = String(res.body?.message ?? '');
  if (res.status === 403 && message.includes('violates PodSecurity')) return 'refused';
  if (res.status >= 200 && res.status < 300) return res.warnings.some((x) => x.includes('would violate PodSecurity')) ? 'refused' : 'admitted';
  return { other: `HTTP ${res.status}: ${message.slice(0, 200)}` };
}

function nsName(prefix: string, level: string, version: string): string {
  return `${prefix}-${level}-${version.replace('.', '-')}`;
}

function namespaceObject(name: string, level?: string, version?: string): Record<string, any> {
  const labels = level
    ? {
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': version,
        'pod-security.kubernetes.io/warn': level,
        'pod-security.kubernetes.io/warn-version': version,
      }
    : undefined;
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** ServiceAccount admission refuses pods whose account does not exist (no controller-manager makes `default` here). */
async function prepareNamespace(plane: Plane, ns: Record<string, any>, workloads: Workload[]): Promise<void> {
  await plane.client.must('POST', '/api/v1/namespaces', ns);
  const accounts = new Set(['default']);
  for (const w of workloads) {
    const spec = w.kind === 'Pod' ? w.raw.spec : w.kind === 'CronJob' ? w.raw.spec?.jobTemplate?.spec?.template?.spec : w.kind === 'PodTemplate' ? w.raw.template?.spec : w.raw.spec?.template?.spec;
    for (const sa of [spec?.serviceAccountName, spec?.serviceAccount]) if (typeof sa === 'string' && sa) accounts.add(sa);
  }
  await mapLimit([...accounts], 8, (name) =>
    plane.client.must('POST', `/api/v1/namespaces/${ns.metadata.name}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } }, [409, 422]),
  );
}

async function corpusWorkloads(): Promise<Workload[]> {
  const { inventory } = await loadManifests([path.join(REPO_ROOT, 'test', 'fixtures', 'corpus')]);
  const out: Workload[] = [];
  for (const obj of new Set(inventory.pods.map((p) => p.object))) {
    if (!JUDGED[`${obj.apiVersion}/${obj.kind}`]) continue;
    out.push({ name: `o-${out.length}`, kind: obj.kind, apiVersion: obj.apiVersion, origin: `${obj.source.file}:${obj.source.line ?? ''} ${obj.kind} ${obj.name}`, raw: obj.raw as Record<string, any> });
  }
  return out;
}

function conformanceWorkloads(start: number): Workload[] {
  const out: Workload[] = [];
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'conformance', 'pss');
  for (const level of LEVELS) for (const verdict of ['pass', 'fail']) {
    for (const file of readdirSync(path.join(dir, level, verdict)).filter((f) => f.endsWith('.yaml')).sort()) {
      const pod = yaml.load(readFileSync(path.join(dir, level, verdict, file), 'utf8'), { schema: KUBERNETES_YAML_SCHEMA }) as Record<string, any>;
      const origin = `conformance ${level}/${verdict}/${file}`;
      out.push({ name: `o-${start + out.length}`, kind: 'Pod', apiVersion: 'v1', origin, raw: pod });
      if (pod.spec.ephemeralContainers !== undefined) continue; // only Pods carry ephemeral containers
      const labels = { app: `o-${start + out.length}` };
      out.push({
        name: `o-${start + out.length}`, kind: 'Deployment', apiVersion: 'apps/v1', origin: `${origin} as a Deployment`,
        raw: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: { selector: { matchLabels: labels }, template: { metadata: { ...pod.metadata, labels }, spec: pod.spec } } },
      });
    }
  }
  return out;
}

function documents(objects: Record<string, any>[]): string {
  return objects.map((o) => JSON.stringify(o)).join('\n---\n') + '\n';
}

describe('Pod Security oracle: kubeharden equals the PodSecurity admission plugin of a real kube-apiserver', { skip }, () => {
  let plane: Plane;
  let workloads: Workload[];

  before(async () => {
    const corpus = await corpusWorkloads();
    workloads = [...corpus, ...conformanceWorkloads(corpus.length)];
    plane = await startPlane();
  });
  after(async () => await plane?.stop());

  test('every workload at baseline and restricted, latest and pinned versions: psa preview = the server', async () => {
    const namespaces = LEVELS.flatMap((level) => VERSIONS.map((version) => ({ level, version, name: nsName('pss', level, version) })));
    await Promise.all(namespaces.map((n) => prepareNamespace(plane, namespaceObject(n.name, n.level, n.version), workloads)));
    // kubeharden sees the same namespaces (with their labels) and every workload in each.
    const inventory = inventoryFromYaml(
      documents([...namespaces.map((n) => namespaceObject(n.name, n.level, n.version)), ...namespaces.flatMap((n) => workloads.map((w) => placed(w, n.name)))]),
      'pss-oracle.yaml',
    );
    assert.deepEqual(inventory.problems.filter((p) => p.level === 'error'), []);
    const differences: string[] = [];
    const notJudged = new Map<string, string>();
    let compared = 0;
    let refused = 0;
    for (const n of namespaces) {
      const verdicts = await mapLimit(workloads, 16, (w) => dryRun(plane, w, n.name));
      const reports = namespaceReports(inventory, { previewLevel: n.level, version: n.version });
      const report = reports.find((r) => r.namespace === n.name)!;
      // psa preview reads the namespace's labels as PodSecurity does.
      assert.deepEqual([report.policy.modes.enforce.level, report.policy.modes.enforce.version], [n.level, n.version]);
      const previewRefuses = new Set(report.rejections.map((r) => r.workload));
      workloads.forEach((w, i) => {
        const verdict = verdicts[i]!;
        if (typeof verdict === 'object') {
          notJudged.set(w.origin, verdict.other);
          return;
        }
        compared++;
        if (verdict === 'refused') refused++;
        const described = describePod({ object: inventory.find(w.kind, n.name, w.name)!, part: undefined });
        const kubeharden = previewRefuses.has(described) ? 'refused' : 'admitted';
        if (kubeharden !== verdict) {
          const reasons = report.rejections.find((r) => r.workload === described)?.reasons.map((r) => r.pss).join(', ') ?? '';
          differences.push(`${n.level}@${n.version} ${w.origin}: server ${verdict}, kubeharden ${kubeharden} ${reasons}`);
        }
      });
    }
    process.stderr.write(
      `pss oracle: ${workloads.length} workloads × ${namespaces.length} namespaces, ${compared} dry-run verdicts compared (${refused} refused), ` +
        `${notJudged.size} workloads the server refused for other reasons, ${differences.length} differences\n`,
    );
    for (const [origin, why] of [...notJudged].slice(0, 10)) process.stderr.write(`  not judged: ${origin}: ${why}\n`);
    assert.ok(refused > compared / 10 && refused < compared - compared / 10, 'a mix of admitted and refused');
    assert.deepEqual(differences.slice(0, 30), [], `${differences.length} differences`);
  });

  test('generate psa-labels: the server admits every workload at the proposed level and refuses the named ones above it', async () => {
    const corpus = workloads.filter((w) => !w.origin.startsWith('conformance'));
    const byFile = new Map<string, Workload[]>();
    for (const w of corpus) {
      const file = w.origin.split(':')[0]!;
      byFile.set(file, [...(byFile.get(file) ?? []), w]);
    }
    const groups = [...byFile.values()].map((list, i) => ({ ns: `labels-${i}`, list }));
    const inventory = inventoryFromYaml(
      documents([...groups.map((g) => namespaceObject(g.ns)), ...groups.flatMap((g) => g.list.map((w) => placed(w, g.ns)))]),
      'psa-labels-oracle.yaml',
    );
    const proposals = proposePsaLabels(inventory);
    const differences: string[] = [];
    let checked = 0;
    await mapLimit(groups, 4, async (g) => {
      const proposal = proposals.find((p) => p.namespace === g.ns)!;
      assert.equal(proposal.labels['pod-security.kubernetes.io/enforce'], proposal.level);
      const trials: { level: string; expectRefused: Set<string> }[] = [];
      if (proposal.level !== 'privileged') trials.push({ level: proposal.level, expectRefused: new Set() });
      if (proposal.blockedAt) trials.push({ level: proposal.blockedAt.level, expectRefused: new Set(proposal.blockedAt.rejections.map((r) => r.workload)) });
      for (const [t, trial] of trials.entries()) {
        const ns = `${g.ns}-${t}`;
        await prepareNamespace(plane, namespaceObject(ns, trial.level, proposal.version), g.list);
        for (const w of g.list) {
          const verdict = await dryRun(plane, w, ns);
          if (typeof verdict === 'object') continue;
          checked++;
          const described = describePod({ object: inventory.find(w.kind, g.ns, w.name)!, part: undefined });
          const expected = trial.expectRefused.has(described) ? 'refused' : 'admitted';
          if (verdict !== expected) differences.push(`${w.origin} at ${trial.level} (proposed ${proposal.level}): server ${verdict}, kubeharden ${expected}`);
        }
      }
    });
    process.stderr.write(`psa-labels oracle: ${groups.length} namespaces, ${checked} dry-run verdicts compared, ${differences.length} differences\n`);
    assert.ok(checked > 0);
    assert.deepEqual(differences.slice(0, 30), [], `${differences.length} differences`);
  });
});
