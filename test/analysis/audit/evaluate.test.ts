// spec/semantics.md §5.2, case by case: the first matching rule decides; each matching condition
// of checker.go with a case that matches and one that does not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { levelAndStages, pathMatches, type AuditRequest } from '../../../src/analysis/audit/evaluate.js';
import { REPO_ROOT } from '../../helpers.js';
import { nonResourceRequest, policyFromYaml, resourceRequest } from './helpers.js';

const level = (policyYaml: string, req: AuditRequest) => levelAndStages(policyFromYaml(policyYaml), req);
const ruleIndex = (policyYaml: string, req: AuditRequest) => level(policyYaml, req).rule?.index;

const header = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

test('rules are tried in order and the first match wins, even when a later rule is more specific', () => {
  const p = header + `
rules:
- level: Metadata
- level: RequestResponse
  resources: [{group: "", resources: [secrets]}]
`;
  const d = level(p, resourceRequest({ resource: 'secrets' }));
  assert.equal(d.level, 'Metadata');
  assert.equal(d.rule?.index, 0);
});

test('no matching rule gives the default level None with the policy omitStages', () => {
  const p = header + `
omitStages: [RequestReceived]
rules:
- level: Metadata
  resources: [{group: "", resources: [secrets]}]
`;
  const d = level(p, resourceRequest({ resource: 'pods' }));
  assert.deepEqual(d, { level: 'None', omitStages: ['RequestReceived'] });
});

test('omitStages of the policy and of the matching rule are united', () => {
  const p = header + `
omitStages: [RequestReceived]
rules:
- level: Metadata
  omitStages: [ResponseStarted, RequestReceived]
`;
  assert.deepEqual(level(p, resourceRequest({})).omitStages, ['RequestReceived', 'ResponseStarted']);
});

test('users: exact username; userGroups: any of the request groups', () => {
  const p = header + `
rules:
- level: None
  users: [system:kube-proxy]
- level: Request
  userGroups: [system:nodes, ops]
- level: Metadata
`;
  assert.equal(ruleIndex(p, resourceRequest({ user: 'system:kube-proxy' })), 0);
  assert.equal(ruleIndex(p, resourceRequest({ user: 'system:kube-proxy2' })), 2);
  assert.equal(ruleIndex(p, resourceRequest({ groups: ['system:authenticated', 'ops'] })), 1);
  assert.equal(ruleIndex(p, resourceRequest({ groups: ['system:authenticated'] })), 2);
  assert.equal(ruleIndex(p, resourceRequest({ groups: [] })), 2);
});

test('verbs are exact request verbs', () => {
  const p = header + `
rules:
- level: None
  verbs: [watch]
- level: Metadata
`;
  assert.equal(ruleIndex(p, resourceRequest({ verb: 'watch' })), 0);
  assert.equal(ruleIndex(p, resourceRequest({ verb: 'list' })), 1);
  assert.equal(ruleIndex(p, nonResourceRequest({ verb: 'watch' })), 0, 'a verb-only rule also matches non-resource requests');
});

test('namespaces: "" selects cluster-scoped and all-namespace requests; a namespaces rule never matches non-resource requests', () => {
  const p = header + `
rules:
- level: Request
  namespaces: [""]
- level: RequestResponse
  namespaces: [kube-system]
- level: Metadata
  resources: [{group: ""}]
`;
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'nodes', namespace: '' })), 0);
  assert.equal(ruleIndex(p, resourceRequest({ verb: 'list', namespace: '' })), 0);
  assert.equal(ruleIndex(p, resourceRequest({ namespace: 'kube-system' })), 1);
  assert.equal(ruleIndex(p, resourceRequest({ namespace: 'default' })), 2);
  assert.equal(level(p, nonResourceRequest({ path: '/healthz' })).level, 'None');
});

test('group entries are exact: "" is the core group only; "*" is every group (v1.37, checked on the real server)', () => {
  const p = header + `
rules:
- level: Request
  resources: [{group: "", resources: [secrets]}]
`;
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'secrets' })), 0);
  assert.equal(ruleIndex(p, resourceRequest({ apiGroup: 'example.com', resource: 'secrets' })), undefined);
  const anyGroup = header + 'rules:\n- level: Metadata\n  resources: [{group: "*", resources: [secrets]}]\n';
  assert.equal(ruleIndex(anyGroup, resourceRequest({ apiGroup: 'example.com', resource: 'secrets' })), 0);
  assert.equal(ruleIndex(anyGroup, resourceRequest({ resource: 'secrets' })), 0);
  assert.equal(ruleIndex(anyGroup, resourceRequest({ resource: 'pods' })), undefined);
});

test('an entry without resources covers the whole group, subresources included', () => {
  const p = header + `
rules:
- level: RequestResponse
  resources: [{group: rbac.authorization.k8s.io}]
`;
  assert.equal(ruleIndex(p, resourceRequest({ apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'escalate' })), 0);
  assert.equal(ruleIndex(p, resourceRequest({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' })), undefined);
});

test('"pods" does not cover pods/log; "pods/*" covers pods and all its subresources; "*/exec" any resource\'s exec', () => {
  const p = header + `
rules:
- level: Request
  resources: [{group: "", resources: [pods]}]
- level: Metadata
  resources: [{group: "", resources: ["*/exec"]}]
- level: RequestResponse
  resources: [{group: "", resources: ["services/*"]}]
`;
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'pods' })), 0);
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'pods', subresource: 'log' })), undefined);
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'pods', subresource: 'exec' })), 1);
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'nodes', subresource: 'exec' })), 1);
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'services' })), 2, 'resource/* also covers the resource itself');
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'services', subresource: 'proxy' })), 2);
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'servicesx' })), undefined);
});

test('"*" covers every resource and subresource of the group; "pods/exec" only that subresource', () => {
  const p = header + `
rules:
- level: Metadata
  resources: [{group: "", resources: [pods/exec]}]
- level: Request
  resources: [{group: apps, resources: ["*"]}]
`;
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'pods', subresource: 'exec' })), 0);
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'pods', subresource: 'attach' })), undefined);
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'pods' })), undefined);
  assert.equal(ruleIndex(p, resourceRequest({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' })), 1);
});

test('resourceNames restricts by the request name; collection requests have the name ""', () => {
  const p = header + `
rules:
- level: None
  resources: [{group: "", resources: [configmaps], resourceNames: [controller-leader]}]
- level: Metadata
`;
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'configmaps', name: 'controller-leader' })), 0);
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'configmaps', name: 'other' })), 1);
  assert.equal(ruleIndex(p, resourceRequest({ resource: 'configmaps', verb: 'list', name: '' })), 1);
});

test('nonResourceURLs: "*", exact, or a trailing-* prefix; never resource requests', () => {
  const p = header + `
rules:
- level: None
  nonResourceURLs: [/healthz*, /version]
- level: Request
  nonResourceURLs: ["*"]
- level: Metadata
`;
  assert.equal(ruleIndex(p, nonResourceRequest({ path: '/healthz' })), 0);
  assert.equal(ruleIndex(p, nonResourceRequest({ path: '/healthz/etcd' })), 0);
  assert.equal(ruleIndex(p, nonResourceRequest({ path: '/version' })), 0);
  assert.equal(ruleIndex(p, nonResourceRequest({ path: '/version/x' })), 1, 'an exact URL does not match below itself');
  assert.equal(ruleIndex(p, resourceRequest({})), 2);
  assert.equal(pathMatches('/apis', '/api*'), true);
  assert.equal(pathMatches('/ap', '/api*'), false);
  assert.equal(pathMatches('/api', '/api**'), true, 'every trailing * is trimmed');
});

test('a rule without selectors matches resource and non-resource requests alike', () => {
  const p = header + 'rules:\n- level: RequestResponse\n';
  assert.equal(level(p, resourceRequest({})).level, 'RequestResponse');
  assert.equal(level(p, nonResourceRequest({})).level, 'RequestResponse');
});

test('the Kubernetes documentation example policy, request by request', () => {
  const text = readFileSync(path.join(REPO_ROOT, 'test/fixtures/audit/k8s-docs-audit-policy.yaml'), 'utf8');
  const cases: [AuditRequest, number | undefined, string][] = [
    [resourceRequest({ verb: 'create', resource: 'pods' }), 0, 'RequestResponse'],
    [resourceRequest({ resource: 'pods', subresource: 'log' }), 1, 'Metadata'],
    [resourceRequest({ resource: 'pods', subresource: 'exec', verb: 'create' }), 7, 'Request'],
    [resourceRequest({ resource: 'configmaps', name: 'controller-leader', namespace: 'kube-system' }), 2, 'None'],
    [resourceRequest({ user: 'system:kube-proxy', verb: 'watch', resource: 'endpoints' }), 3, 'None'],
    [resourceRequest({ user: 'system:kube-proxy', verb: 'list', resource: 'endpoints' }), 7, 'Request'],
    [nonResourceRequest({ path: '/apis/apps' }), 4, 'None'],
    [nonResourceRequest({ path: '/version', groups: ['system:unauthenticated'] }), 8, 'Metadata'],
    [resourceRequest({ verb: 'update', resource: 'configmaps', namespace: 'kube-system', name: 'cfg' }), 5, 'Request'],
    [resourceRequest({ verb: 'update', resource: 'configmaps', namespace: 'shop', name: 'cfg' }), 6, 'Metadata'],
    [resourceRequest({ resource: 'secrets', namespace: 'kube-system' }), 6, 'Metadata'],
    [resourceRequest({ apiGroup: 'extensions', resource: 'ingresses' }), 7, 'Request'],
    [resourceRequest({ apiGroup: 'apps', resource: 'deployments' }), 8, 'Metadata'],
  ];
  for (const [req, index, lvl] of cases) {
    const d = level(text, req);
    assert.equal(d.rule?.index, index, JSON.stringify(req));
    assert.equal(d.level, lvl, JSON.stringify(req));
    assert.deepEqual(d.omitStages, ['RequestReceived']);
  }
});
