// The exact "all requests" questions (space.ts, analysis.ts): which rules decide a class of
// requests, which rules can never match. Each is cross-checked against the one-request evaluator
// on every combination of attribute values (including values no rule mentions and requests with
// several groups), so the symbolic answer and the API server's checker cannot drift apart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyAnalysis, SECRET_BEARING_CLASSES, isCatchAll, type NamedClass } from '../../../src/analysis/audit/analysis.js';
import { levelAndStages, ruleMatches, type AuditRequest } from '../../../src/analysis/audit/evaluate.js';
import type { AuditPolicy, PolicyRule } from '../../../src/analysis/audit/policy.js';
import { policyFromYaml } from './helpers.js';

const header = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';
const shadowedIndexes = (yaml: string) => new PolicyAnalysis(policyFromYaml(header + yaml)).shadowed().map((s) => [s.rule.index, s.by.map((b) => b.index)]);

test('a catch-all None shadows every rule after it, naming it', () => {
  assert.deepEqual(shadowedIndexes(`rules:
- level: None
- level: Metadata
  resources: [{group: "", resources: [secrets]}]
- level: RequestResponse
`), [[1, [0]], [2, [0]]]);
});

test('an early broad rule shadows a later narrower one; the reverse order shadows nothing', () => {
  const broadFirst = `rules:
- level: Metadata
  resources: [{group: ""}]
- level: RequestResponse
  verbs: [create]
  resources: [{group: "", resources: [pods, pods/exec]}]
- level: Metadata
`;
  assert.deepEqual(shadowedIndexes(broadFirst), [[1, [0]]]);
  const narrowFirst = `rules:
- level: RequestResponse
  verbs: [create]
  resources: [{group: "", resources: [pods, pods/exec]}]
- level: Metadata
  resources: [{group: ""}]
- level: Metadata
`;
  assert.deepEqual(shadowedIndexes(narrowFirst), []);
});

test('a rule covered only by several earlier rules together is shadowed, naming all of them ("*/*" is no wildcard for subresources)', () => {
  assert.deepEqual(shadowedIndexes(`rules:
- level: None
  verbs: [get, list, watch]
- level: Metadata
  verbs: [create, update, patch, delete, deletecollection]
  resources: [{group: "", resources: ["*"]}]
- level: Metadata
  verbs: [create, update, patch, delete, deletecollection]
  resources: [{group: "", resources: ["*/*"]}]
- level: RequestResponse
  verbs: [get, create]
  resources: [{group: "", resources: [secrets]}]
`), [
    // "*/*" matches only a subresource literally named "*" (or resource "*"): rule 1's "*" already takes it.
    [2, [1]],
    [3, [0, 1]],
  ]);
});

test('a rule a request can escape through another user, group, namespace, name or URL is not shadowed', () => {
  assert.deepEqual(shadowedIndexes(`rules:
- level: None
  users: [a, b]
- level: None
  userGroups: [g1]
- level: None
  namespaces: [kube-system]
- level: None
  resources: [{group: "", resources: [configmaps], resourceNames: [leader]}]
- level: None
  nonResourceURLs: [/healthz*]
- level: Metadata
  resources: [{group: "", resources: [configmaps]}]
- level: Metadata
  nonResourceURLs: [/healthz/ready, /healthzz, /livez]
- level: Metadata
  userGroups: [g1, g2]
`), []);
});

test('a later rule matched in full by an earlier rule with the same prefix URL is shadowed', () => {
  assert.deepEqual(shadowedIndexes(`rules:
- level: None
  nonResourceURLs: [/healthz*]
- level: Metadata
  nonResourceURLs: [/healthz/etcd, /healthz*]
`), [[1, [0]]]);
});

test('userGroups: a rule for groups [a] is shadowed by one for [a, b], not the reverse', () => {
  assert.deepEqual(shadowedIndexes(`rules:
- level: None
  userGroups: [a, b]
- level: Metadata
  userGroups: [a]
`), [[1, [0]]]);
  assert.deepEqual(shadowedIndexes(`rules:
- level: None
  userGroups: [a]
- level: Metadata
  userGroups: [a, b]
`), []);
});

test('"pods/*" shadows a later "pods" and "pods/exec" rule; "*/exec" does not shadow "pods"', () => {
  assert.deepEqual(shadowedIndexes(`rules:
- level: Metadata
  resources: [{group: "", resources: ["pods/*"]}]
- level: RequestResponse
  resources: [{group: "", resources: [pods, pods/exec]}]
`), [[1, [0]]]);
  assert.deepEqual(shadowedIndexes(`rules:
- level: Metadata
  resources: [{group: "", resources: ["*/exec"]}]
- level: RequestResponse
  resources: [{group: "", resources: [pods]}]
`), []);
});

test('the leak question finds a scoped Request rule before the protective Metadata rule', () => {
  const policy = policyFromYaml(header + `rules:
- level: Request
  users: [deployer]
  verbs: [create, update]
- level: Metadata
  resources: [{group: "", resources: [secrets, configmaps]}]
- level: RequestResponse
`);
  const analysis = new PolicyAnalysis(policy);
  const secrets = analysis.decide(SECRET_BEARING_CLASSES[0]!);
  assert.deepEqual(secrets.decisions.map((d) => [d.rule.index, d.rule.level]), [[0, 'Request'], [1, 'Metadata']]);
  assert.equal(analysis.describe(secrets.decisions[0]!.boxes, 'verb', 'verb'), 'create, update');
  assert.equal(analysis.describe(secrets.decisions[0]!.boxes, 'user', 'user'), 'deployer');
  assert.equal(analysis.describe(secrets.decisions[1]!.boxes, 'verb', 'verb', SECRET_BEARING_CLASSES[0]!.request.verb), 'every verb');
  assert.deepEqual(secrets.fallThrough, []);
  const tokenReviews = analysis.decide(SECRET_BEARING_CLASSES[2]!);
  assert.deepEqual(tokenReviews.decisions.map((d) => d.rule.index), [0, 2]);
});

test('isCatchAll: only a rule without any selector', () => {
  const p = policyFromYaml(header + 'rules:\n- level: None\n- level: None\n  verbs: [get]\n');
  assert.deepEqual(p.rules.map(isCatchAll), [true, false]);
});

// ---- cross-check against the one-request evaluator --------------------------------------------

/** A small deterministic generator, so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const USERS = ['u1', 'u2', 'zz'];
const GROUPS = ['g1', 'g2', 'zz'];
const VERBS = ['get', 'create', 'watch', 'zz'];
const NAMESPACES = ['', 'ns1', 'zz'];
const API_GROUPS = ['', 'apps', 'zz'];
const RESOURCES = ['pods', 'secrets', 'zz'];
const SUBRESOURCES = ['', 'exec', 'zz'];
const NAMES = ['', 'n1', 'zz'];
const PATHS = ['/healthz', '/healthz/x', '/api', '/zz', '/never'];
const PATTERNS = ['pods', 'secrets', 'pods/exec', 'pods/*', '*/exec', '*', 'secrets/zz'];
const URL_SPECS = ['/healthz', '/healthz*', '/api*', '*', '/h*'];

function pick<T>(r: () => number, list: readonly T[], max: number): T[] {
  const n = Math.floor(r() * (max + 1));
  return [...new Set(Array.from({ length: n }, () => list[Math.floor(r() * list.length)]!))];
}

function randomPolicy(r: () => number): AuditPolicy {
  const levels = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
  const rules: PolicyRule[] = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, index) => {
    const kind = r();
    return {
      index,
      level: levels[Math.floor(r() * 4)]!,
      users: pick(r, USERS.slice(0, 2), 2),
      userGroups: pick(r, GROUPS.slice(0, 2), 2),
      verbs: pick(r, VERBS.slice(0, 3), 2),
      namespaces: kind < 0.5 ? pick(r, NAMESPACES.slice(0, 2), 1) : [],
      resources: kind < 0.5 ? pick(r, ['', 'apps'], 2).map((group) => ({ group, resources: pick(r, PATTERNS, 2), resourceNames: [] as string[] })).map((gr) => (gr.resources.length && r() < 0.3 ? { ...gr, resourceNames: ['n1'] } : gr)) : [],
      nonResourceURLs: kind >= 0.5 && kind < 0.8 ? pick(r, URL_SPECS, 2).concat(['/never']).slice(0, 2) : [],
      omitStages: [],
    };
  });
  return { omitStages: [], rules };
}

function* everyRequest(): Generator<AuditRequest> {
  const groupSets = [[], ['g1'], ['g2'], ['zz'], ['g1', 'g2']];
  for (const user of USERS) for (const groups of groupSets) for (const verb of VERBS) {
    for (const path of PATHS) yield { kind: 'nonResource', user, groups, verb, path };
    for (const namespace of NAMESPACES) for (const apiGroup of API_GROUPS) for (const resource of RESOURCES) for (const subresource of SUBRESOURCES) for (const name of NAMES) {
      yield { kind: 'resource', user, groups, verb, namespace, apiGroup, resource, subresource, name };
    }
  }
}

test('cross-check: shadowed rules are exactly the rules no request ever reaches first (150 random policies)', () => {
  const r = random(7);
  const requests = [...everyRequest()];
  for (let n = 0; n < 150; n++) {
    const policy = randomPolicy(r);
    const reached = new Set<number>();
    const matchSomething = new Set<number>();
    for (const req of requests) {
      let first = true;
      for (const rule of policy.rules) {
        if (!ruleMatches(rule, req)) continue;
        matchSomething.add(rule.index);
        if (first) reached.add(rule.index);
        first = false;
      }
    }
    const shadowed = new PolicyAnalysis(policy).shadowed().map((s) => s.rule.index);
    // Rules that match nothing at all (e.g. only URLs no request has) are neither reached nor shadowed.
    const expected = policy.rules.filter((rule) => !reached.has(rule.index) && matchSomething.has(rule.index)).map((rule) => rule.index);
    assert.deepEqual(shadowed, expected, JSON.stringify(policy.rules));
  }
});

test('cross-check: the rules deciding Secrets requests are exactly those first to match some Secret request', () => {
  const r = random(11);
  const secretsClass: NamedClass = { label: 'secrets', request: { kind: ['resource'], apiGroup: [''], resource: ['secrets'], subresource: [''] } };
  const secretRequests = [...everyRequest()].filter((req) => req.kind === 'resource' && req.apiGroup === '' && req.resource === 'secrets' && req.subresource === '');
  for (let n = 0; n < 300; n++) {
    const policy = randomPolicy(r);
    const deciders = new Set<number | undefined>();
    for (const req of secretRequests) deciders.add(levelAndStages(policy, req).rule?.index);
    const outcome = new PolicyAnalysis(policy, [secretsClass]).decide(secretsClass);
    const symbolic = new Set<number | undefined>(outcome.decisions.map((d) => d.rule.index));
    if (outcome.fallThrough.length) symbolic.add(undefined);
    assert.deepEqual([...symbolic].sort(), [...deciders].sort(), JSON.stringify(policy.rules));
  }
});
