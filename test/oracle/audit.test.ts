// Audit oracle: the real kube-apiserver runs with `generate audit-policy`'s policy, the policy of
// the Kubernetes documentation (test/fixtures/audit) and a policy that exercises every matcher;
// a scripted set of requests (users, groups, verbs, resources, subresources, names, namespaces,
// non-resource URLs, watches; identities asserted through the front proxy as an authenticating
// proxy does, and impersonation) is sent with a known Audit-ID each; every event the server
// writes must have the level `audit-policy explain` gives, and the stages it records must be
// those the answer does not omit. Policies kubeharden calls invalid must stop the server from
// starting; every policy it accepts must start.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { levelAndStages, type AuditRequest } from '../../src/analysis/audit/evaluate.js';
import { readAuditPolicyText } from '../../src/analysis/audit/policy-file.js';
import { GENERATED_AUDIT_POLICY } from '../../src/fix/audit-policy.js';
import { REPO_ROOT } from '../helpers.js';
import { ApiClient, mapLimit } from './client.js';
import { controlPlaneUnavailable, startPlane, type Plane } from './harness.js';

const skip = controlPlaneUnavailable();

/** A policy with every kind of matcher, in an order where the first match matters. */
const MATCHERS_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [ResponseStarted]
rules:
- level: None
  users: [system:kube-proxy]
  verbs: [watch]
- level: RequestResponse
  users: [alice]
  resources:
  - group: ""
    resources: [secrets]
    resourceNames: [alice-secret]
- level: Metadata
  userGroups: [ops]
  namespaces: [kube-system]
  omitStages: [RequestReceived]
- level: Request
  resources:
  - group: ""
    resources: ["pods/*"]
  - group: apps
    resources: ["*/scale"]
- level: None
  resources:
  - group: ""
    resources: [events]
  - group: events.k8s.io
- level: RequestResponse
  resources:
  - group: "*"
    resources: [leases, tokenreviews]
- level: Metadata
  nonResourceURLs: ["/healthz*", /version]
- level: None
  nonResourceURLs: ["*"]
- level: Request
  verbs: [create, update, patch]
  namespaces: [default]
- level: Metadata
  omitStages: [RequestReceived, ResponseComplete]
  resources:
  - group: rbac.authorization.k8s.io
- level: RequestResponse
  userGroups: [system:serviceaccounts]
- level: Metadata
`;

interface Scripted {
  id: string;
  /** The identity the audit filter sees: the authenticated one (impersonation comes after it). */
  user: string;
  groups: string[];
  /** Sent through the front proxy as X-Remote-User/X-Remote-Group, or as the admin with Impersonate-*. */
  via: 'proxy' | 'impersonate';
  impersonate?: { user: string; groups: string[] };
  method: string;
  path: string;
  body?: unknown;
  request: AuditRequest;
  watch: boolean;
}

const IDENTITIES: { user: string; groups: string[] }[] = [
  { user: 'alice', groups: ['dev'] },
  { user: 'bob', groups: ['ops'] },
  { user: 'system:kube-proxy', groups: [] },
  { user: 'system:serviceaccount:kube-system:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'] },
  { user: 'carol', groups: ['ops', 'dev'] },
];

interface Target {
  verb: string;
  method: string;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  body?: (name: string, namespace?: string) => unknown;
  query?: string;
}

const cm = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });
const TARGETS: Target[] = [
  { verb: 'list', method: 'GET', group: '', version: 'v1', resource: 'pods', namespace: 'default' },
  { verb: 'list', method: 'GET', group: '', version: 'v1', resource: 'pods' },
  { verb: 'get', method: 'GET', group: '', version: 'v1', resource: 'pods', namespace: 'kube-system', name: 'p1' },
  { verb: 'get', method: 'GET', group: '', version: 'v1', resource: 'pods', subresource: 'log', namespace: 'default', name: 'p1' },
  { verb: 'get', method: 'GET', group: '', version: 'v1', resource: 'pods', subresource: 'status', namespace: 'default', name: 'p1' },
  { verb: 'get', method: 'GET', group: '', version: 'v1', resource: 'secrets', namespace: 'default', name: 'alice-secret' },
  { verb: 'get', method: 'GET', group: '', version: 'v1', resource: 'secrets', namespace: 'default', name: 'other' },
  { verb: 'list', method: 'GET', group: '', version: 'v1', resource: 'secrets', namespace: 'kube-system' },
  { verb: 'get', method: 'GET', group: '', version: 'v1', resource: 'configmaps', namespace: 'kube-system', name: 'controller-leader' },
  { verb: 'create', method: 'POST', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', body: cm },
  { verb: 'create', method: 'POST', group: '', version: 'v1', resource: 'configmaps', namespace: 'kube-system', body: cm },
  { verb: 'delete', method: 'DELETE', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'gone' },
  { verb: 'deletecollection', method: 'DELETE', group: '', version: 'v1', resource: 'configmaps', namespace: 'default' },
  { verb: 'patch', method: 'PATCH', group: 'apps', version: 'v1', resource: 'deployments', subresource: 'scale', namespace: 'default', name: 'web', body: () => ({ spec: { replicas: 2 } }) },
  { verb: 'get', method: 'GET', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name: 'web' },
  { verb: 'list', method: 'GET', group: '', version: 'v1', resource: 'events', namespace: 'default' },
  { verb: 'list', method: 'GET', group: 'events.k8s.io', version: 'v1', resource: 'events' },
  { verb: 'get', method: 'GET', group: '', version: 'v1', resource: 'nodes', name: 'n1' },
  { verb: 'get', method: 'GET', group: '', version: 'v1', resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' },
  { verb: 'list', method: 'GET', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' },
  { verb: 'create', method: 'POST', group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews', body: () => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'not-a-token' } }) },
  { verb: 'create', method: 'POST', group: '', version: 'v1', resource: 'serviceaccounts', subresource: 'token', namespace: 'default', name: 'default', body: () => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }) },
  { verb: 'update', method: 'PUT', group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-system', name: 'l1', body: (name, ns) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: ns } }) },
  { verb: 'watch', method: 'GET', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', query: 'watch=1&timeoutSeconds=1' },
];
const URLS = ['/healthz', '/healthz/etcd', '/livez', '/readyz', '/version', '/metrics', '/api', '/apis', '/openapi/v2', '/logs/x'];

function resourcePath(t: Target): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  // GET /api/v1/namespaces/NAME is namespace NAME's own object, in namespace NAME (RequestInfo).
  if (t.resource === 'namespaces') return `${base}/namespaces/${t.name}`;
  const ns = t.namespace ? `/namespaces/${t.namespace}` : '';
  const name = t.name ? `/${t.name}` : '';
  const sub = t.subresource ? `/${t.subresource}` : '';
  return `${base}${ns}/${t.resource}${name}${sub}${t.query ? `?${t.query}` : ''}`;
}

function script(): Scripted[] {
  const out: Scripted[] = [];
  const admin = { user: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
  const add = (identity: { user: string; groups: string[] }, via: Scripted['via'], t: Target | string) => {
    // The authenticator adds system:authenticated to every authenticated user.
    const seen = via === 'impersonate' ? admin : { user: identity.user, groups: [...identity.groups, 'system:authenticated'] };
    const id = randomUUID();
    const common = { id, user: seen.user, groups: seen.groups, via, ...(via === 'impersonate' ? { impersonate: identity } : {}) };
    if (typeof t === 'string') {
      out.push({ ...common, method: 'GET', path: t, watch: false, request: { kind: 'nonResource', user: seen.user, groups: seen.groups, verb: 'get', path: t } });
      return;
    }
    const name = t.name ?? (t.verb === 'create' ? `c-${out.length}` : '');
    out.push({
      ...common,
      method: t.method,
      path: resourcePath(t),
      body: t.body?.(name, t.namespace),
      watch: t.verb === 'watch',
      request: {
        kind: 'resource', user: seen.user, groups: seen.groups, verb: t.verb, apiGroup: t.group, resource: t.resource,
        subresource: t.subresource ?? '', namespace: t.namespace ?? '', name: t.verb === 'create' && !t.subresource ? '' : (t.name ?? ''),
      },
    });
  };
  for (const identity of IDENTITIES) {
    for (const t of TARGETS) add(identity, 'proxy', t);
    for (const u of URLS) add(identity, 'proxy', u);
  }
  // Impersonation: the level is decided for the authenticated user, before impersonation applies.
  for (const t of TARGETS.slice(0, 8)) add(IDENTITIES[0]!, 'impersonate', t);
  return out;
}

function admin(plane: Plane): string {
  return readFileSync(path.join(plane.env.pki, 'admin.crt'), 'utf8');
}

describe('audit oracle: every event of the real audit log has the level and stages `audit-policy explain` gives', { skip }, () => {
  let plane: Plane;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kh-audit-oracle-'));
    plane = await startPlane();
    assert.ok(admin(plane));
  });
  after(async () => {
    await plane?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const policies: [string, () => string][] = [
    ['generate audit-policy', () => GENERATED_AUDIT_POLICY],
    ['the Kubernetes documentation example (test/fixtures/audit)', () => readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'audit', 'k8s-docs-audit-policy.yaml'), 'utf8')],
    ['a policy with every kind of matcher', () => MATCHERS_POLICY],
  ];
  for (const [name, text] of policies) {
    test(name, async () => {
      const file = path.join(dir, `policy-${randomUUID()}.yaml`);
      writeFileSync(file, text());
      const parsed = readAuditPolicyText(text(), file);
      assert.ok(parsed.ok, 'kubeharden accepts the policy');
      await plane.restart({ auditPolicy: file });
      const proxy = new ApiClient(plane.env.server, plane.env.pki, 8, 'front-proxy-client');
      const requests = script();
      try {
        await mapLimit(requests, 8, async (r) => {
          const headers: Record<string, string | string[]> = { 'Audit-ID': r.id };
          if (r.via === 'proxy') {
            headers['X-Remote-User'] = r.user;
            // One header per group, as an authenticating proxy sends them.
            const groups = r.groups.filter((g) => g !== 'system:authenticated');
            if (groups.length) headers['X-Remote-Group'] = groups;
          } else {
            headers['Impersonate-User'] = r.impersonate!.user;
          }
          const client = r.via === 'proxy' ? proxy : plane.client;
          await client.request(r.method, r.path, r.body, r.method === 'PATCH' ? { ...headers, 'content-type': 'application/merge-patch+json' } : headers);
        });
      } finally {
        proxy.close();
      }
      // The log backend writes synchronously (blocking mode); give the last watch its timeout.
      await new Promise((r) => setTimeout(r, 1500));
      const events = readFileSync(plane.env.files.auditLog!, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const byId = new Map<string, any[]>();
      for (const e of events) byId.set(e.auditID, [...(byId.get(e.auditID) ?? []), e]);
      const differences: string[] = [];
      let compared = 0;
      for (const r of requests) {
        const answer = levelAndStages(parsed.ok ? parsed.policy : (undefined as never), r.request);
        const got = byId.get(r.id) ?? [];
        const label = `${r.user} [${r.groups.join(',')}] ${r.method} ${r.path}`;
        for (const e of got) {
          compared++;
          if (e.level !== answer.level) differences.push(`${label}: event level ${e.level}, explain ${answer.level}`);
          if (answer.omitStages.includes(e.stage)) differences.push(`${label}: stage ${e.stage} recorded, explain omits it`);
          if (e.user.username !== r.user || JSON.stringify(e.user.groups ?? []) !== JSON.stringify(r.groups)) {
            differences.push(`${label}: the server saw ${e.user.username} [${(e.user.groups ?? []).join(',')}], the script assumed otherwise`);
          }
        }
        const stages = new Set(got.map((e) => e.stage));
        if (answer.level === 'None') {
          if (got.length) differences.push(`${label}: ${got.length} events, explain says None`);
          continue;
        }
        for (const stage of ['RequestReceived', 'ResponseComplete'] as const) {
          const expected = !answer.omitStages.includes(stage);
          if (stages.has(stage) !== expected) differences.push(`${label}: stage ${stage} ${stages.has(stage) ? 'recorded' : 'missing'}, explain ${expected ? 'records' : 'omits'} it`);
        }
        if (r.watch && !answer.omitStages.includes('ResponseStarted') && !stages.has('ResponseStarted')) differences.push(`${label}: watch without ResponseStarted`);
      }
      process.stderr.write(`audit oracle (${name}): ${requests.length} requests, ${compared} events compared, ${differences.length} differences\n`);
      assert.ok(compared > 0);
      assert.deepEqual(differences.slice(0, 30), [], `${differences.length} differences`);
    });
  }

  test('every policy kubeharden calls invalid stops the server from starting; every one it accepts starts', async () => {
    const head = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';
    const cases: [string, string][] = [
      ['unknown level', `${head}rules:\n- level: Verbose\n`],
      ['empty level', `${head}rules:\n- level: ""\n`],
      ['unknown stage', `${head}omitStages: [Started]\nrules:\n- level: Metadata\n`],
      ['unknown stage in a rule', `${head}rules:\n- level: Metadata\n  omitStages: [Finished]\n`],
      ['resources and nonResourceURLs together', `${head}rules:\n- level: Metadata\n  resources: [{group: ""}]\n  nonResourceURLs: [/healthz]\n`],
      ['namespaces and nonResourceURLs together', `${head}rules:\n- level: Metadata\n  namespaces: [default]\n  nonResourceURLs: [/healthz]\n`],
      ['a URL without a leading slash', `${head}rules:\n- level: Metadata\n  nonResourceURLs: [healthz]\n`],
      ['a star inside a URL', `${head}rules:\n- level: Metadata\n  nonResourceURLs: ["/api/*/foo"]\n`],
      ['a group "*" (valid since the v1.37 policy reader: every group)', `${head}rules:\n- level: Metadata\n  resources: [{group: "*"}]\n`],
      ['resourceNames with a wildcard resource', `${head}rules:\n- level: Metadata\n  resources: [{group: "", resources: ["*"], resourceNames: [a]}]\n`],
      ['resourceNames with a subresource wildcard', `${head}rules:\n- level: Metadata\n  resources: [{group: "", resources: ["pods/*"], resourceNames: [a]}]\n`],
      ['the removed v1beta1 API', 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n'],
      ['another kind', 'apiVersion: audit.k8s.io/v1\nkind: Event\n'],
      ['no rules (the server refuses a policy with 0 rules)', `${head}rules: []\n`],
      ['a rule with only a level (valid)', `${head}rules:\n- level: None\n`],
      ['a group name with a dot and resources (valid)', `${head}rules:\n- level: Request\n  resources: [{group: "apps", resources: [deployments, "*/scale"]}]\n`],
    ];
    const disagreements: string[] = [];
    for (const [name, text] of cases) {
      const file = path.join(dir, `case-${randomUUID()}.yaml`);
      writeFileSync(file, text);
      const kubeharden = readAuditPolicyText(text, file).ok;
      const server = await plane.tryStart({ auditPolicy: file });
      if (kubeharden !== server.ready) disagreements.push(`${name}: kubeharden ${kubeharden ? 'accepts' : 'refuses'}, the server ${server.ready ? 'starts' : 'refuses to start'}`);
    }
    await plane.restart({});
    process.stderr.write(`audit policy validation: ${cases.length} policies started, ${disagreements.length} disagreements\n`);
    assert.deepEqual(disagreements, []);
  });
});
