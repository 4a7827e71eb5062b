// Least-privilege RBAC from evidence: worked examples of each documented rule (scope,
// resourceNames, defaults, denied, skipped users, warnings), the dry run, and the real log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { observationsFrom } from '../../src/analysis/rbac/audit-event.js';
import { Evidence } from '../../src/analysis/rbac/evidence.js';
import { RbacEngine, identityOf } from '../../src/analysis/rbac/engine.js';
import { buildRequest } from '../../src/analysis/rbac/request.js';
import { generateRbac, type GenerateOptions } from '../../src/fix/generate-rbac.js';
import { renderPolicy, verifyPolicy } from '../../src/fix/rbac-from-evidence.js';
import { readEvidence } from '../../src/sources/audit-log.js';
import { inventoryFromYaml, REPO_ROOT } from '../helpers.js';

const SA = 'system:serviceaccount:team:app';
const SA_GROUPS = ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'];

interface Req {
  verb: string;
  resource?: string;
  group?: string;
  sub?: string;
  ns?: string;
  name?: string;
  path?: string;
  user?: string;
  groups?: string[];
  decision?: 'allow' | 'forbid';
  code?: number;
}

let id = 0;
function evidenceOf(requests: Req[]): Evidence {
  const e = new Evidence();
  for (const r of requests) {
    const objectRef = r.path ? undefined : { resource: r.resource, apiGroup: r.group, subresource: r.sub, namespace: r.ns, name: r.name };
    const parsed = observationsFrom({
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: `a${id++}`, stage: 'ResponseComplete', verb: r.verb,
      requestURI: r.path ?? '/apis/x', user: { username: r.user ?? SA, groups: r.groups ?? SA_GROUPS }, objectRef,
      responseStatus: { code: r.code ?? (r.decision === 'forbid' ? 403 : 200) },
      annotations: { 'authorization.k8s.io/decision': r.decision ?? 'allow' },
      stageTimestamp: '2026-12-06T01:00:00.000000Z',
    });
    assert.equal(parsed.error, undefined);
    e.addEvent(parsed.observations);
  }
  e.finish();
  return e;
}

function rulesOf(requests: Req[], options: GenerateOptions = {}) {
  const [policy] = generateRbac(evidenceOf(requests), options).policies;
  assert.ok(policy);
  return policy.rules.map((r) => ({ scope: r.scope, ...Object.fromEntries(Object.entries(r.rule).filter(([, v]) => (v as string[]).length)), requests: r.requests }));
}

test('scope: namespaced requests → a Role per namespace; requests without a namespace → the ClusterRole', () => {
  assert.deepEqual(
    rulesOf([
      { verb: 'get', resource: 'configmaps', ns: 'a', name: 'x' },
      { verb: 'list', resource: 'pods', ns: 'b' },
      { verb: 'get', resource: 'nodes', name: 'n1' },
      { verb: 'get', path: '/metrics' },
    ]),
    [
      { scope: '', apiGroups: [''], resources: ['nodes'], resourceNames: ['n1'], verbs: ['get'], requests: 1 },
      { scope: '', nonResourceURLs: ['/metrics'], verbs: ['get'], requests: 1 },
      { scope: 'a', apiGroups: [''], resources: ['configmaps'], resourceNames: ['x'], verbs: ['get'], requests: 1 },
      { scope: 'b', apiGroups: [''], resources: ['pods'], verbs: ['list'], requests: 1 },
    ],
  );
});

test('a list across all namespaces is cluster-wide and then covers the same verb in every namespace', () => {
  const rules = rulesOf([
    { verb: 'list', resource: 'pods' },
    { verb: 'list', resource: 'pods', ns: 'a' },
    { verb: 'get', resource: 'pods', ns: 'a', name: 'p' },
  ]);
  assert.deepEqual(rules, [
    { scope: '', apiGroups: [''], resources: ['pods'], verbs: ['list'], requests: 2 },
    { scope: 'a', apiGroups: [''], resources: ['pods'], resourceNames: ['p'], verbs: ['get'], requests: 1 },
  ]);
});

test('resourceNames: kept for few named requests; not for create/list/watch, too many names, or objects the subject creates', () => {
  assert.deepEqual(rulesOf([{ verb: 'get', resource: 'secrets', ns: 'a', name: 's1' }, { verb: 'update', resource: 'secrets', ns: 'a', name: 's1' }, { verb: 'get', resource: 'secrets', ns: 'a', name: 's2' }]), [
    { scope: 'a', apiGroups: [''], resources: ['secrets'], resourceNames: ['s1', 's2'], verbs: ['get'], requests: 2 },
    { scope: 'a', apiGroups: [''], resources: ['secrets'], resourceNames: ['s1'], verbs: ['update'], requests: 1 },
  ]);
  // A plain list carries no name → no resourceNames; a name-selected watch does.
  assert.deepEqual(rulesOf([{ verb: 'list', resource: 'secrets', ns: 'a' }, { verb: 'watch', resource: 'configmaps', ns: 'a', name: 'cfg' }]), [
    { scope: 'a', apiGroups: [''], resources: ['secrets'], verbs: ['list'], requests: 1 },
    { scope: 'a', apiGroups: [''], resources: ['configmaps'], resourceNames: ['cfg'], verbs: ['watch'], requests: 1 },
  ]);
  // Six names with --max-names 5 → no resourceNames.
  const six = Array.from({ length: 6 }, (_, i) => ({ verb: 'get', resource: 'configmaps', ns: 'a', name: `c${i}` }));
  assert.deepEqual(rulesOf(six), [{ scope: 'a', apiGroups: [''], resources: ['configmaps'], verbs: ['get'], requests: 6 }]);
  assert.equal((rulesOf(six, { maxNames: 6 })[0] as { resourceNames?: string[] }).resourceNames?.length, 6);
  // The subject creates pods: their names are generated, so its pod reads and status writes are not name-limited.
  assert.deepEqual(
    rulesOf([{ verb: 'create', resource: 'pods', ns: 'a', name: 'job-x7k2p' }, { verb: 'get', resource: 'pods', ns: 'a', name: 'job-x7k2p' }, { verb: 'patch', resource: 'pods', sub: 'status', ns: 'a', name: 'job-x7k2p' }]),
    [
      { scope: 'a', apiGroups: [''], resources: ['pods'], verbs: ['get', 'create'], requests: 2 },
      { scope: 'a', apiGroups: [''], resources: ['pods/status'], verbs: ['patch'], requests: 1 },
    ],
  );
});

test('subresources and API groups are kept apart; verbs of one resource share a rule, resources with the same verbs share one', () => {
  assert.deepEqual(
    rulesOf([
      { verb: 'list', resource: 'deployments', group: 'apps', ns: 'a' },
      { verb: 'watch', resource: 'deployments', group: 'apps', ns: 'a' },
      { verb: 'list', resource: 'replicasets', group: 'apps', ns: 'a' },
      { verb: 'watch', resource: 'replicasets', group: 'apps', ns: 'a' },
      { verb: 'update', resource: 'deployments', group: 'apps', sub: 'scale', ns: 'a', name: 'web' },
    ]),
    [
      { scope: 'a', apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['list', 'watch'], requests: 4 },
      { scope: 'a', apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['web'], verbs: ['update'], requests: 1 },
    ],
  );
});

test("requests Kubernetes' default policy allows are not granted again (unless --include-defaults)", () => {
  const reqs: Req[] = [{ verb: 'get', path: '/api' }, { verb: 'get', path: '/version' }, { verb: 'create', resource: 'selfsubjectaccessreviews', group: 'authorization.k8s.io' }, { verb: 'get', resource: 'pods', ns: 'a', name: 'p' }];
  const [policy] = generateRbac(evidenceOf(reqs)).policies;
  assert.equal(policy!.coveredByDefaults, 3);
  assert.deepEqual(policy!.rules.map((r) => r.rule.resources.join() || r.rule.nonResourceURLs.join()), ['pods']);
  assert.equal(rulesOf(reqs, { includeDefaults: true }).length, 3);
});

test('denied requests are listed, never granted; a generalisation that would allow one is called out', () => {
  const [policy] = generateRbac(
    evidenceOf([
      { verb: 'get', resource: 'secrets', ns: 'a', name: 's1', decision: 'forbid' },
      { verb: 'list', resource: 'secrets', ns: 'b', decision: 'forbid' },
      ...Array.from({ length: 6 }, (_, i) => ({ verb: 'get', resource: 'secrets', ns: 'a', name: `ok${i}` })),
    ]),
  ).policies;
  assert.deepEqual(policy!.denied.map((d) => [d.request.type === 'resource' && d.request.namespace, d.count, d.names]), [['a', 1, ['s1']], ['b', 1, []]]);
  const rendered = renderPolicy(policy!);
  assert.equal(rendered.dryRun.ok, true);
  // Six names > 5 → no resourceNames, so the denied get of s1 would now be allowed: said so.
  assert.deepEqual(rendered.dryRun.deniedNowAllowed, ['get secrets named s1 in namespace a']);
  assert.match(rendered.yaml, /WARNING: denied in the logs, allowed by these rules/);
  assert.match(rendered.yaml, /Denied, not granted:\n#\s+get secrets in namespace a \(names: s1\): 1 request\n#\s+list secrets in namespace b: 1 request/);
});

test('members of system:masters and nodes are skipped with the reason; a Group subject gathers its members', () => {
  const e = evidenceOf([
    { verb: 'list', resource: 'pods', user: 'admin', groups: ['system:masters', 'system:authenticated'] },
    { verb: 'get', resource: 'nodes', name: 'n1', user: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] },
    { verb: 'get', resource: 'pods', ns: 'a', name: 'p', user: 'alice', groups: ['dev', 'system:authenticated'] },
    { verb: 'list', resource: 'pods', ns: 'a', user: 'bob', groups: ['dev', 'system:authenticated'] },
    { verb: 'get', path: '/api', user: 'bob', groups: ['dev', 'system:authenticated'] },
  ]);
  const all = generateRbac(e);
  assert.deepEqual(all.skipped.map((s) => s.user), ['admin', 'system:node:n1']);
  assert.deepEqual(all.policies.map((p) => `${p.subject.kind}:${p.subject.name}`), ['User:alice', 'User:bob']);
  const dev = generateRbac(e, { subject: { kind: 'Group', name: 'dev' } });
  assert.deepEqual(dev.policies.map((p) => [p.subject.kind, p.users]), [['Group', ['alice', 'bob']]]);
  // Discovery is every authenticated user's already, so a group's members need no grant for it.
  assert.equal(dev.policies[0]!.coveredByDefaults, 1);
  assert.deepEqual(dev.policies[0]!.rules.map((r) => [r.rule.verbs, r.rule.resourceNames]), [[['get'], ['p']], [['list'], []]]);
});

test('--namespace keeps one namespace and counts what it leaves out', () => {
  const [policy] = generateRbac(evidenceOf([{ verb: 'get', resource: 'pods', ns: 'a', name: 'p' }, { verb: 'list', resource: 'pods', ns: 'b' }, { verb: 'list', resource: 'nodes' }]), { namespace: 'a' }).policies;
  assert.equal(policy!.outsideNamespace, 2);
  assert.deepEqual(policy!.rules.map((r) => r.scope), ['a']);
});

test('impersonation and RBAC writes are called out with a WARNING comment on the rule', () => {
  const e = new Evidence();
  const parsed = observationsFrom({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'imp', stage: 'ResponseComplete', verb: 'get', requestURI: '/api/v1/namespaces/a/pods/p',
    user: { username: 'ci', groups: ['system:authenticated'] }, impersonatedUser: { username: 'deployer', groups: ['system:authenticated'] },
    objectRef: { resource: 'pods', namespace: 'a', name: 'p' }, responseStatus: { code: 200 },
  });
  e.addEvent(parsed.observations);
  e.addEvent(observationsFrom({ kind: 'Event', auditID: 'rb', stage: 'ResponseComplete', verb: 'create', requestURI: '/x', user: { username: 'ci', groups: ['system:authenticated'] }, objectRef: { resource: 'rolebindings', apiGroup: 'rbac.authorization.k8s.io', namespace: 'a', name: 'rb' }, responseStatus: { code: 201 } }).observations);
  e.finish();
  const ci = generateRbac(e, { subject: { kind: 'User', name: 'ci' } }).policies[0]!;
  const yaml = renderPolicy(ci).yaml;
  assert.match(yaml, /# WARNING: impersonate: this subject acts as other identities[^\n]*\n\s+# 1 request \(impersonate\)\n\s+- apiGroups: \[""\]\n\s+resources: \[users\]\n\s+resourceNames: \[deployer\]/);
  assert.match(yaml, /# WARNING: writes RBAC objects: the API server also requires the writer to hold every permission it grants/);
  const deployer = generateRbac(e, { subject: { kind: 'User', name: 'deployer' } }).policies[0]!;
  assert.deepEqual(deployer.rules.map((r) => r.rule.resources), [['pods']]);
});

test('dry run: the rendered YAML allows every observed request and nothing unused; a broader policy fails it', () => {
  const [policy] = generateRbac(evidenceOf([{ verb: 'get', resource: 'pods', ns: 'a', name: 'p' }, { verb: 'list', resource: 'nodes' }])).policies;
  const rendered = renderPolicy(policy!);
  assert.deepEqual(rendered.dryRun, { ok: true, requests: 2, shapes: 2, notAllowed: [], unused: [], deniedNowAllowed: [] });
  assert.match(rendered.yaml, /# Dry run \(kubeharden RBAC engine, these objects alone\): all 2 remaining requests \(2 request shapes\) allowed;/);
  // Check the check: the same objects with one verb more, and with one rule less.
  const broader = verifyPolicy(policy!, rendered.yaml.replace('verbs: [get]', 'verbs: [get, delete]'));
  assert.deepEqual([broader.ok, broader.unused], [false, ['delete pods named p in namespace a']]);
  const narrower = verifyPolicy(policy!, rendered.yaml.replace('resources: [nodes]', 'resources: [services]'));
  assert.equal(narrower.ok, false);
  assert.deepEqual(narrower.notAllowed, ['list nodes cluster-wide (all namespaces, or a cluster-scoped resource)']);
  // The written objects, applied with nothing else, allow exactly that for the subject.
  const engine = RbacEngine.fromInventory(inventoryFromYaml(rendered.yaml), { bootstrap: false });
  const who = identityOf({ kind: 'ServiceAccount', namespace: 'team', name: 'app' });
  assert.equal(engine.authorize(who, buildRequest({ verb: 'get', resource: 'pods', namespace: 'a', name: 'p' })).allowed, true);
  assert.equal(engine.authorize(who, buildRequest({ verb: 'get', resource: 'pods', namespace: 'a', name: 'q' })).allowed, false);
  assert.equal(engine.authorize(who, buildRequest({ verb: 'get', resource: 'pods', namespace: 'b', name: 'p' })).allowed, false);
});

test('the real log (kube-apiserver v1.37.2): the rules of the ServiceAccount team/app', async () => {
  const { evidence } = await readEvidence([path.join(REPO_ROOT, 'test/fixtures/audit-logs/sa-team-app.log')]);
  const generation = generateRbac(evidence);
  assert.deepEqual(generation.skipped.map((s) => s.user), ['kubernetes-admin', 'system:apiserver']);
  const [policy] = generation.policies;
  const rendered = renderPolicy(policy!);
  assert.equal(rendered.dryRun.ok, true);
  const docs = parseAllDocuments(rendered.yaml).map((d) => d.toJS() as { kind: string; rules?: unknown[] });
  assert.deepEqual(docs.map((d) => d.kind), ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
  assert.deepEqual(docs.find((d) => d.kind === 'Role')!.rules, [
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create'] },
    // kubectl patch --subresource=status reads, then patches; the client-go controller updates.
    { apiGroups: ['apps'], resources: ['deployments/status'], resourceNames: ['web'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: [''], resources: ['secrets'], resourceNames: ['s1'], verbs: ['get'] },
    { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get'] },
    // client-node's informer lists then watches; client-go's (v0.37) opens one watch with sendInitialEvents.
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list', 'watch'] },
  ]);
  assert.deepEqual(docs.find((d) => d.kind === 'ClusterRole')!.rules, [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }, { apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }]);
  assert.deepEqual(policy!.denied.map((d) => d.request.type === 'resource' && `${d.request.verb} ${d.request.resource} ${d.request.namespace}`), ['list secrets other']);
});
