// Issue 17, RBAC half, on a real control plane: a ServiceAccount with broad grants makes the
// requests of real clients (kubectl get/list/create, a status patch, a non-resource URL, the
// list+watch of a client-node informer and of a client-go SharedInformerFactory, a client-go
// controller's status update, a denied request); the API server's own audit log (policy:
// Metadata for every request, every stage) is read by `kubeharden generate rbac`; the generated
// Roles replace the broad ones; the same requests replayed are all allowed, and
// SubjectAccessReviews show requests that were not observed are denied.
//
// With KUBEHARDEN_RECORD_AUDIT_FIXTURE=DIR the test also writes the audit events of this run that
// the unit tests use (test/fixtures/audit-logs/, see SOURCE.md there) into DIR.

import { after, before, describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppsV1Api, KubeConfig, makeInformer, type V1Deployment } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../cli/run-cli.js';
import { controlPlaneUnavailable, kubectl, startControlPlane, type ControlPlane } from './harness.js';
import { auditEvents, serviceAccountKubeconfig, type AuditEvent } from './cluster-access.js';
import { auditClients } from './audit-clients.js';

const skip = controlPlaneUnavailable();
// client-go's informer and a status writer built on it, when Go can build them (else the test says so and goes on without).
const clientGo = skip ? { unavailable: 'no control plane' } : auditClients();
const SA_USER = 'system:serviceaccount:team:app';

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
`;

const SETUP = `apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: team}
data: {mode: fast}
---
apiVersion: v1
kind: Secret
metadata: {name: s1, namespace: team}
stringData: {k: v}
---
apiVersion: v1
kind: Secret
metadata: {name: s2, namespace: team}
stringData: {k: v}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: registry.k8s.io/pause:3.10}]
`;

/** The broad grants the workload starts with (also the manifests `rbac unused` reads). */
const BROAD = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: broad, namespace: team}
rules:
- apiGroups: ["", apps]
  resources: ["*"]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: broad, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: broad}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: broad-cluster}
rules:
- apiGroups: [""]
  resources: [namespaces, nodes]
  verbs: [get, list, watch]
- nonResourceURLs: [/metrics, /logs/*]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: broad-cluster}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: broad-cluster}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
`;

interface RuleLike {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** A rule as single verb × group × resource × name (or verb × URL) parts, to compare rule sets. */
function atoms(rule: RuleLike): string[] {
  const out: string[] = [];
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs ?? []) out.push(`${verb} ${url}`);
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames?.length ? rule.resourceNames : ['*'];
        for (const name of names) out.push(`${verb} ${group}/${resource}/${name}`);
      }
    }
  }
  return out;
}

interface Sar {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

describe('generate rbac from the audit log of a real kube-apiserver', { skip }, () => {
  let plane: ControlPlane;
  let work: string;
  let saConfig: string;
  let generatedYaml: string;
  let generateRun: { code: number | null; stdout: string; stderr: string };

  const asApp = (args: string[]) => kubectl(plane.env, args, undefined, saConfig);

  /** An informer as controllers run them: list, then watch from the list's resourceVersion. */
  const informerSync = async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(saConfig);
    const api = kc.makeApiClient(AppsV1Api);
    const informer = makeInformer<V1Deployment>(kc, '/apis/apps/v1/namespaces/team/deployments', () => api.listNamespacedDeployment({ namespace: 'team' }));
    const added = new Promise<void>((resolve) => informer.on('add', () => resolve()));
    await informer.start();
    await added;
    // Give the watch request time to be opened before stopping (the list alone would not show it).
    for (let i = 0; i < 40 && !(await auditEvents(plane.env, (e) => e.user.username === SA_USER && e.verb === 'watch' && e.objectRef?.resource === 'deployments')).length; i++) {
      await new Promise((r) => setTimeout(r, 250));
    }
    await informer.stop();
  };

  /** The workload's requests; run once with the broad grants, once with the generated ones. */
  const workload = async (): Promise<{ what: string; status: number | null; stderr: string }[]> => {
    const runs: { what: string; status: number | null; stderr: string }[] = [];
    const run = async (what: string, args: string[]) => {
      const r = await asApp(args);
      runs.push({ what, status: r.status, stderr: r.stderr });
    };
    await run('kubectl get configmaps (list)', ['get', 'configmaps', '-n', 'team', '-o', 'name']);
    await run('kubectl get configmap cfg', ['get', 'configmap', 'cfg', '-n', 'team', '-o', 'name']);
    await run('kubectl get secret s1', ['get', 'secret', 's1', '-n', 'team', '-o', 'name']);
    await run('kubectl create configmap made-by-app', ['create', 'configmap', 'made-by-app', '-n', 'team', '--from-literal=a=b']);
    await run('kubectl patch deployment web status', ['patch', 'deployment', 'web', '-n', 'team', '--subresource=status', '--type=merge', '-p', '{"status":{"observedGeneration":1}}']);
    await run('kubectl get namespaces', ['get', 'namespaces', '-o', 'name']);
    await run('kubectl get --raw /metrics', ['get', '--raw', '/metrics']);
    try {
      await informerSync();
      runs.push({ what: 'client-node informer list+watch deployments', status: 0, stderr: '' });
    } catch (err) {
      runs.push({ what: 'client-node informer list+watch deployments', status: 1, stderr: String(err) });
    }
    if ('binary' in clientGo) {
      for (const [what, args] of [
        ['client-go SharedInformerFactory list+watch deployments', ['informer', saConfig, 'team']],
        ['client-go controller: get deployment, UpdateStatus', ['status', saConfig, 'team', 'web']],
      ] as const) {
        const r = spawnSync(clientGo.binary, args, { encoding: 'utf8', timeout: 90_000 });
        runs.push({ what, status: r.status, stderr: r.stderr ?? String(r.error) });
      }
    }
    return runs;
  };

  const sar = async (s: Sar): Promise<boolean> => {
    const spec = s.path
      ? { user: SA_USER, groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'], nonResourceAttributes: { path: s.path, verb: s.verb } }
      : {
          user: SA_USER,
          groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
          resourceAttributes: { verb: s.verb, resource: s.resource, group: s.group ?? '', subresource: s.subresource ?? '', namespace: s.namespace ?? '', name: s.name ?? '' },
        };
    const out = await plane.kubectlOk(['create', '-f', '-', '-o', 'json'], JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec }));
    return (JSON.parse(out) as { status: { allowed?: boolean } }).status.allowed === true;
  };

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'kh-rbac-audit-'));
    const policy = path.join(work, 'audit-policy.yaml');
    writeFileSync(policy, AUDIT_POLICY);
    plane = await startControlPlane({ auditPolicy: policy });
    await plane.kubectlOk(['apply', '-f', '-'], SETUP);
    await plane.kubectlOk(['apply', '-f', '-'], BROAD);
    saConfig = await serviceAccountKubeconfig(plane, 'team', 'app', undefined, work);

    const first = await workload();
    for (const r of first) assert.equal(r.status, 0, `${r.what} with the broad grants: ${r.stderr}`);
    // A request the broad grants do not allow: denied, so it must be listed and never granted.
    const denied = await asApp(['get', 'secrets', '-n', 'other']);
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /forbidden/i);

    // Wait until the log has the denied request (the last one), then let the writer settle.
    const events = await auditEvents(plane.env, (e) => e.user.username === SA_USER);
    assert.ok(events.some((e) => e.objectRef?.namespace === 'other' && e.stage === 'ResponseComplete'), 'the audit log has the denied request');
    recordFixture(plane.env.files.auditLog!);

    generateRun = await runCli(['generate', 'rbac', '--from-audit-log', plane.env.files.auditLog!, '--subject', 'sa:team/app']);
    generatedYaml = generateRun.stdout;
  });
  after(async () => {
    await plane?.stop();
  });

  test('the generated policy passes its dry run and says so', () => {
    assert.equal(generateRun.code, 0, generateRun.stderr);
    assert.match(generatedYaml, /Dry run \(kubeharden RBAC engine, these objects alone\): all \d+ remaining requests/);
    assert.match(generateRun.stderr, /time window: \d{4}-\d\d-\d\dT/);
  });

  test('the rules are the observed requests, scoped and named as documented', () => {
    const docs = parseAllDocuments(generatedYaml).map((d) => d.toJS() as Record<string, any>);
    const role = docs.find((d) => d.kind === 'Role');
    const clusterRole = docs.find((d) => d.kind === 'ClusterRole');
    assert.equal(role?.metadata.namespace, 'team');
    const rules = (role!.rules as any[]).map((r) => JSON.stringify(r));
    // The subject created a ConfigMap, so ConfigMap names are not restricted; Secrets and the status
    // patch are (kubectl patch reads the object through the same subresource first).
    assert.ok(rules.includes(JSON.stringify({ apiGroups: [''], resources: ['secrets'], resourceNames: ['s1'], verbs: ['get'] })), rules.join('\n'));
    // client-go's controller reads the Deployment and writes its status with update.
    const statusVerbs = 'binary' in clientGo ? ['get', 'update', 'patch'] : ['get', 'patch'];
    assert.ok(rules.includes(JSON.stringify({ apiGroups: ['apps'], resources: ['deployments/status'], resourceNames: ['web'], verbs: statusVerbs })), rules.join('\n'));
    if ('binary' in clientGo) assert.ok(rules.includes(JSON.stringify({ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get'] })), rules.join('\n'));
    else console.log(`# ${clientGo.unavailable}`);
    assert.ok(rules.includes(JSON.stringify({ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create'] })), rules.join('\n'));
    assert.ok(rules.includes(JSON.stringify({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['list', 'watch'] })), rules.join('\n'));
    const clusterRules = (clusterRole!.rules as any[]).map((r) => JSON.stringify(r));
    assert.deepEqual(clusterRules.sort(), [
      JSON.stringify({ apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }),
      JSON.stringify({ nonResourceURLs: ['/metrics'], verbs: ['get'] }),
    ].sort());
    // Nothing a rule was not made from: no wildcard anywhere.
    assert.doesNotMatch(generatedYaml, /"\*"/);
    assert.match(generatedYaml, /Denied, not granted:\n#\s+list secrets in namespace other: 1 request/);
  });

  test('the generated Roles replace the broad ones: the same requests are all allowed again', async () => {
    await plane.kubectlOk(['delete', 'rolebinding', 'broad', '-n', 'team']);
    await plane.kubectlOk(['delete', 'clusterrolebinding', 'broad-cluster']);
    await plane.kubectlOk(['delete', 'configmap', 'made-by-app', '-n', 'team']);
    // Without the broad grants the workload fails (so the replay below proves something).
    const without = await asApp(['get', 'secret', 's1', '-n', 'team', '-o', 'name']);
    assert.notEqual(without.status, 0);
    await plane.kubectlOk(['apply', '-f', '-'], generatedYaml);
    const replay = await workload();
    for (const r of replay) assert.equal(r.status, 0, `${r.what} with the generated grants: ${r.stderr}`);
  });

  test('SubjectAccessReview: observed requests allowed, requests never made denied', async () => {
    const allowed: Sar[] = [
      { verb: 'get', resource: 'secrets', namespace: 'team', name: 's1' },
      { verb: 'patch', resource: 'deployments', group: 'apps', subresource: 'status', namespace: 'team', name: 'web' },
      { verb: 'watch', resource: 'deployments', group: 'apps', namespace: 'team' },
      { verb: 'get', resource: '', path: '/metrics' },
    ];
    const denied: Sar[] = [
      { verb: 'get', resource: 'secrets', namespace: 'team', name: 's2' },
      { verb: 'list', resource: 'secrets', namespace: 'team' },
      { verb: 'delete', resource: 'configmaps', namespace: 'team', name: 'cfg' },
      { verb: 'update', resource: 'deployments', group: 'apps', namespace: 'team', name: 'web' },
      { verb: 'get', resource: 'deployments', group: 'apps', namespace: 'team', name: 'other' },
      { verb: 'patch', resource: 'deployments', group: 'apps', subresource: 'status', namespace: 'team', name: 'other' },
      { verb: 'list', resource: 'pods', namespace: 'team' },
      { verb: 'get', resource: 'nodes' },
      { verb: 'list', resource: 'configmaps' },
      { verb: 'get', resource: 'secrets', namespace: 'other', name: 's1' },
      { verb: 'get', resource: '', path: '/logs/kube-apiserver.log' },
    ];
    for (const s of allowed) assert.equal(await sar(s), true, `allowed: ${JSON.stringify(s)}`);
    for (const s of denied) assert.equal(await sar(s), false, `denied: ${JSON.stringify(s)}`);
  });

  test('SelfSubjectRulesReview: the ServiceAccount may do what the generated rules say and what every ServiceAccount may, nothing more', async () => {
    // A ServiceAccount without bindings shows what Kubernetes' defaults give every ServiceAccount.
    const nobodyConfig = await serviceAccountKubeconfig(plane, 'team', 'nobody', undefined, work);
    const rulesOf = async (kubeconfig: string) => {
      const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'team' } };
      const run = await kubectl(plane.env, ['create', '--validate=false', '-f', '-', '-o', 'json'], JSON.stringify(review), kubeconfig);
      assert.equal(run.status, 0, run.stderr);
      const status = (JSON.parse(run.stdout) as { status: { resourceRules: RuleLike[]; nonResourceRules: RuleLike[]; incomplete: boolean } }).status;
      assert.equal(status.incomplete, false);
      return new Set([...status.resourceRules, ...status.nonResourceRules].flatMap(atoms));
    };
    const app = await rulesOf(saConfig);
    const defaults = await rulesOf(nobodyConfig);
    const beyondDefaults = [...app].filter((a) => !defaults.has(a)).sort();
    const generated = parseAllDocuments(generatedYaml)
      .map((d) => d.toJS() as { kind: string; rules?: RuleLike[] })
      .filter((d) => d.kind === 'Role' || d.kind === 'ClusterRole')
      .flatMap((d) => d.rules!.flatMap(atoms));
    assert.deepEqual(beyondDefaults, [...new Set(generated)].sort());
  });

  test('rbac unused names the broad grants never used, and proposes the narrowed Roles', async () => {
    const manifests = path.join(work, 'broad.yaml');
    writeFileSync(manifests, BROAD);
    const run = await runCli(['rbac', 'unused', manifests, '--audit-log', plane.env.files.auditLog!, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as { subjects: { subject: { kind: string; name: string }; grants: { status: string; role: { name: string }; unused: string[] }[]; diff: string }[] };
    const app = answer.subjects.find((s) => s.subject.kind === 'ServiceAccount' && s.subject.name === 'app');
    assert.ok(app, run.stdout);
    const nodesRule = app.grants.find((g) => g.role.name === 'broad-cluster' && g.unused.some((u) => u.includes('nodes')));
    assert.ok(nodesRule, 'nodes were never read');
    assert.ok(app.grants.some((g) => g.role.name === 'broad' && g.status === 'partly used'), JSON.stringify(app.grants));
    assert.match(app.diff, /^-\s+verbs: \["\*"\]/m);
    assert.match(app.diff, /^\+\s+resourceNames: \[s1\]/m);
  });

  test('rbac unused --cluster: the generated Roles, now in the cluster, are used rule by rule', async () => {
    const run = await runCli(['rbac', 'unused', '--cluster', '--kubeconfig', plane.env.kubeconfig, '--audit-log', plane.env.files.auditLog!, '--subject', 'sa:team/app', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as { subjects: { grants: { status: string; role: { name: string } }[] }[] };
    const grants = answer.subjects[0]!.grants;
    assert.ok(grants.length >= 6, JSON.stringify(grants));
    assert.deepEqual(grants.filter((g) => g.status !== 'used'), []);
    assert.ok(grants.every((g) => g.role.name === 'kubeharden-observed-sa-team-app'));
  });
});

/**
 * KUBEHARDEN_RECORD_AUDIT_FIXTURE=DIR: keep this run's audit events of the ServiceAccount and the
 * first few of the admin (to show they are skipped) as the unit tests' fixture.
 */
function recordFixture(auditLog: string): void {
  const dir = process.env.KUBEHARDEN_RECORD_AUDIT_FIXTURE;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const lines = readFileSync(auditLog, 'utf8').split('\n').filter(Boolean);
  let admin = 0;
  const kept = lines.filter((l) => {
    const e = JSON.parse(l) as AuditEvent;
    if (e.user.username === SA_USER) return true;
    return e.user.groups?.includes('system:masters') && admin++ < 6;
  });
  writeFileSync(path.join(dir, 'sa-team-app.log'), kept.join('\n') + '\n');
}
