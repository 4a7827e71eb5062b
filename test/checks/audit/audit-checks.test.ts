// The audit-policy checks on policies as a scan reads them: passing and failing cases, exact
// paths (rules[N]) and messages naming the rules involved.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { auditPolicyValid } from '../../../src/checks/audit/audit-policy-valid.js';
import { auditPolicyKeepsSecretsOutOfLogs } from '../../../src/checks/audit/audit-policy-keeps-secrets-out-of-logs.js';
import { auditPolicyRecordsSecurityEvents } from '../../../src/checks/audit/audit-policy-records-security-events.js';
import { auditPolicyRulesReachable } from '../../../src/checks/audit/audit-policy-rules-reachable.js';
import { auditPolicyEndsWithCatchAll } from '../../../src/checks/audit/audit-policy-ends-with-catch-all.js';
import { REPO_ROOT, contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';

const policy = (rules: string, extra = '') => `apiVersion: audit.k8s.io/v1\nkind: Policy\nmetadata: {name: audit}\n${extra}rules:\n${rules}`;
const docsExample = readFileSync(path.join(REPO_ROOT, 'test/fixtures/audit/k8s-docs-audit-policy.yaml'), 'utf8');

test('audit-policy-valid: passes a valid policy, reports each invalid field with its path', () => {
  assert.deepEqual(runCheck(auditPolicyValid, policy('- level: Metadata\n')), []);
  const v = runCheck(auditPolicyValid, policy('- level: Everything\n- level: None\n  resources: [{group: ""}]\n  nonResourceURLs: [/healthz]\n'));
  assert.deepEqual(paths(v), ['rules[0].level', 'rules[1].nonResourceURLs']);
  assert.match(v[0]!.message, /"Everything" is not a level/);
});

test('audit checks skip, with the reason, when there is no audit Policy (a Policy of another group does not count)', () => {
  const inventory = inventoryFromYaml('apiVersion: kyverno.io/v1\nkind: Policy\nmetadata: {name: p, namespace: a}\nspec: {}\n');
  for (const check of [auditPolicyValid, auditPolicyKeepsSecretsOutOfLogs, auditPolicyEndsWithCatchAll]) {
    assert.deepEqual(check.evaluate(inventory, contextFor(inventory)), { skip: 'the input has no audit Policy (audit.k8s.io/v1)' });
  }
});

test('the analysis checks skip an invalid policy instead of evaluating it', () => {
  const inventory = inventoryFromYaml(policy('- level: Everything\n'));
  assert.deepEqual(auditPolicyRulesReachable.evaluate(inventory, contextFor(inventory)), { skip: 'no audit Policy in the input is valid (see audit-policy-valid)' });
});

test('keeps-secrets-out-of-logs: passes when Secrets, ConfigMaps, TokenReviews and tokens reach Metadata first', () => {
  assert.deepEqual(runCheck(auditPolicyKeepsSecretsOutOfLogs, policy(`
- level: Metadata
  resources:
  - {group: "", resources: [secrets, configmaps, serviceaccounts/token]}
  - {group: authentication.k8s.io, resources: [tokenreviews]}
- level: RequestResponse
`)), []);
});

test('keeps-secrets-out-of-logs: a catch-all RequestResponse leaks all four, in one finding on the rule', () => {
  const v = runCheck(auditPolicyKeepsSecretsOutOfLogs, policy('- level: RequestResponse\n'));
  assert.deepEqual(paths(v), ['rules[0].level']);
  assert.match(v[0]!.message, /^rules\[0\] \(RequestResponse, matches every request\) is the first rule to match Secrets; ConfigMaps; TokenReviews; serviceaccounts\/token \(TokenRequest\) and logs their bodies at RequestResponse/);
  assert.equal(v[0]!.fix, undefined, 'changing a catch-all level would change every other request too');
});

test('keeps-secrets-out-of-logs: a rule scoped to a user and verbs before the Metadata rule still leaks for that subset', () => {
  const v = runCheck(auditPolicyKeepsSecretsOutOfLogs, policy(`
- level: Request
  users: [ci-deployer]
  verbs: [create, update]
  resources: [{group: "", resources: [secrets]}]
- level: Metadata
  resources: [{group: "", resources: [secrets, configmaps, serviceaccounts/token]}, {group: authentication.k8s.io}]
- level: RequestResponse
`));
  assert.deepEqual(paths(v), ['rules[0].level']);
  assert.match(v[0]!.message, /first rule to match Secrets \(verbs create, update; users ci-deployer\)/);
  assert.deepEqual(v[0]!.fix, [{ op: 'replace', path: '/rules/0/level', value: 'Metadata' }]);
});

test('keeps-secrets-out-of-logs: the documentation example logs kube-system ConfigMaps and TokenRequests at Request', () => {
  const v = runCheck(auditPolicyKeepsSecretsOutOfLogs, docsExample);
  assert.deepEqual(paths(v), ['rules[5].level', 'rules[7].level']);
  assert.match(v[0]!.message, /ConfigMaps \(namespaces kube-system\)/);
  assert.match(v[1]!.message, /serviceaccounts\/token \(TokenRequest\) and logs their bodies at Request/);
});

test('records-security-events: passes with a catch-all Metadata and only user-scoped None rules', () => {
  assert.deepEqual(runCheck(auditPolicyRecordsSecurityEvents, policy(`
- level: None
  users: [system:kube-proxy]
  verbs: [watch]
- level: None
  resources: [{group: "", resources: [events]}]
- level: Metadata
`)), []);
});

test('records-security-events: a broad None on exec and Secrets, and classes nothing matches, are reported', () => {
  const v = runCheck(auditPolicyRecordsSecurityEvents, policy(`
- level: None
  resources: [{group: "", resources: [pods/exec, secrets]}]
- level: RequestResponse
  verbs: [create, update, patch, delete]
  resources: [{group: rbac.authorization.k8s.io}, {group: ""}]
`));
  assert.deepEqual(paths(v), ['rules[0].level', 'rules']);
  assert.match(v[0]!.message, /first rule to match Secret access; pods\/exec for every user, so they are never recorded/);
  assert.match(v[1]!.message, /no rule matches RBAC changes \(roles\) \(verbs deletecollection\);/);
  assert.match(v[1]!.message, /pods\/attach \(verbs get\)/);
});

test('records-security-events: get on pods/exec (WebSocket exec) falls through when the rule lists only create', () => {
  const v = runCheck(auditPolicyRecordsSecurityEvents, policy(`
- level: Metadata
  resources: [{group: "", resources: [secrets, pods/exec]}]
- level: Metadata
  verbs: [create]
- level: Metadata
  resources: [{group: ""}]
- level: Metadata
  resources: [{group: rbac.authorization.k8s.io}, {group: certificates.k8s.io}, {group: admissionregistration.k8s.io}]
`));
  assert.deepEqual(paths(v), []);
  const w = runCheck(auditPolicyRecordsSecurityEvents, policy(`
- level: Metadata
  verbs: [create]
  resources: [{group: ""}, {group: rbac.authorization.k8s.io}, {group: certificates.k8s.io}, {group: admissionregistration.k8s.io}]
- level: Metadata
  verbs: [update, patch, delete, deletecollection]
`));
  assert.equal(w.length, 1);
  assert.match(w[0]!.message, /; pods\/exec \(verbs get\);/);
  assert.match(w[0]!.message, /^no rule matches Secret access \(verbs get, list, watch\);/);
});

test('rules-reachable: reports each shadowed rule and the rule that takes its requests', () => {
  const v = runCheck(auditPolicyRulesReachable, policy(`
- level: Metadata
  resources: [{group: ""}]
- level: RequestResponse
  resources: [{group: "", resources: [pods]}]
- level: Metadata
`));
  assert.deepEqual(paths(v), ['rules[1]']);
  assert.match(v[0]!.message, /^rules\[1\] \(RequestResponse: resources core:pods\) never matches: every request it selects is matched first by rules\[0\] \(Metadata: resources core:\*\); move it above rules\[0\]/);
  assert.deepEqual(runCheck(auditPolicyRulesReachable, docsExample), []);
});

test('ends-with-catch-all: passes when a catch-all at Metadata or above is reached by what the rules before it leave', () => {
  assert.deepEqual(runCheck(auditPolicyEndsWithCatchAll, docsExample), []);
  assert.deepEqual(runCheck(auditPolicyEndsWithCatchAll, policy('- level: None\n  verbs: [watch]\n- level: Request\n')), []);
});

test('ends-with-catch-all: rules that cover all non-resource URLs and some resources still leave requests unlogged', () => {
  const v = runCheck(auditPolicyEndsWithCatchAll, policy('- level: Metadata\n  nonResourceURLs: ["*"]\n- level: Request\n  resources: [{group: ""}]\n- level: Metadata\n  namespaces: [""]\n'));
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /^resource requests that no rule selects \(namespaces every namespace except ""\) get the default level None and are not logged/);
});

test('ends-with-catch-all: a policy without one, and a catch-all None, are reported with fixes', () => {
  const v = runCheck(auditPolicyEndsWithCatchAll, policy('- level: Metadata\n  resources: [{group: "", resources: [secrets]}]\n'));
  assert.deepEqual(paths(v), ['rules']);
  assert.match(v[0]!.message, /^resource and non-resource requests that no rule selects get the default level None and are not logged; add `- level: Metadata` as the last rule/);
  assert.deepEqual(v[0]!.fix, [{ op: 'add', path: '/rules/-', value: { level: 'Metadata' } }]);
  const w = runCheck(auditPolicyEndsWithCatchAll, policy('- level: Metadata\n  resources: [{group: "", resources: [secrets]}]\n- level: None\n'));
  assert.deepEqual(paths(w), ['rules[1].level']);
  assert.match(w[0]!.message, /matches every request at level None/);
});
