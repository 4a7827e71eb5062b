// Validation as the API server's policy loader does it (spec/semantics.md §5.1): bad policies get
// a clear message and the path of the field at fault.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsYaml from 'js-yaml';
import { parsePolicy } from '../../../src/analysis/audit/policy.js';
import { formatPath } from '../../../src/inventory/model.js';
import { KUBERNETES_YAML_SCHEMA } from '../../../src/inventory/yaml.js';

function problems(rules: string, extra = ''): string[] {
  const raw = jsYaml.load(`apiVersion: audit.k8s.io/v1\nkind: Policy\n${extra}rules:\n${rules}`, { schema: KUBERNETES_YAML_SCHEMA }) as Record<string, unknown>;
  const parsed = parsePolicy(raw);
  return parsed.ok ? [] : parsed.problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
}

test('a valid policy has no problems', () => {
  assert.deepEqual(problems('- level: None\n  nonResourceURLs: ["/healthz*", "*"]\n- level: Metadata\n  omitStages: [Panic]\n', 'omitStages: [RequestReceived]\n'), []);
});

test('an unknown level is rejected, naming the allowed ones (case matters)', () => {
  const p = problems('- level: Metadata\n- level: Verbose\n- level: metadata\n');
  assert.equal(p.length, 2);
  assert.match(p[0]!, /^rules\[1\]\.level: rules\[1\]\.level "Verbose" is not a level; write one of None, Metadata, Request, RequestResponse/);
  assert.match(p[1]!, /^rules\[2\]\.level: .*"metadata" is not a level/);
});

test('a missing level is rejected', () => {
  assert.match(problems('- verbs: [get]\n')[0]!, /^rules\[0\]\.level: rules\[0\] has no level/);
});

test('a rule with both resources and nonResourceURLs (or namespaces and nonResourceURLs) is rejected', () => {
  const p = problems('- level: Metadata\n  resources: [{group: ""}]\n  nonResourceURLs: [/healthz]\n- level: None\n  namespaces: [a]\n  nonResourceURLs: [/x]\n');
  assert.equal(p.length, 2);
  assert.match(p[0]!, /^rules\[0\]\.nonResourceURLs: rules\[0\] sets nonResourceURLs together with resources; .* split it into two rules/);
  assert.match(p[1]!, /together with namespaces/);
});

test('non-resource URLs must start with / and use * only at the end', () => {
  const p = problems('- level: None\n  nonResourceURLs: [healthz, "/a*/b", "/ok*"]\n');
  assert.deepEqual(p.map((x) => x.split(':')[0]), ['rules[0].nonResourceURLs[0]', 'rules[0].nonResourceURLs[1]']);
});

test('a group with a version, resourceNames without resources, and unknown stages are rejected', () => {
  const p = problems('- level: None\n  omitStages: [Done]\n  resources:\n  - group: apps/v1\n  - group: ""\n    resourceNames: [x]\n', 'omitStages: [Start]\n');
  assert.deepEqual(p.map((x) => x.split(':')[0]), ['omitStages[0]', 'rules[0].omitStages[0]', 'rules[0].resources[0].group', 'rules[0].resources[1].resourceNames']);
  assert.match(p[2]!, /without its version, e\.g\. "apps", not "apps\/v1"/);
});

test('no rules, or rules of the wrong type, are rejected without throwing', () => {
  assert.match(problems('  []\n')[0]!, /has no rules; the API server refuses to load a policy with 0 rules/);
  assert.match(problems('  level: None\n')[0]!, /^rules: rules must be a list/);
  assert.match(problems('- 42\n')[0]!, /rules\[0\] must be a mapping/);
  assert.match(problems('- level: None\n  verbs: get\n')[0]!, /verbs must be a list of strings/);
  assert.match(problems('- level: None\n  users: [1]\n')[0]!, /users\[0\]: 1 must be a string/);
  assert.match(problems('- level: None\n  resources: [{group: ""}, 3]\n')[0]!, /resources\[1\]: each resources entry must be a mapping/);
});

test('only audit.k8s.io/v1 is read: a v1beta1 Policy stops the API server (v1.37, checked on the real server)', () => {
  const raw = jsYaml.load('apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n', { schema: KUBERNETES_YAML_SCHEMA }) as Record<string, unknown>;
  const parsed = parsePolicy(raw);
  assert.ok(!parsed.ok);
  assert.deepEqual(parsed.problems.map((p) => formatPath(p.path)), ['apiVersion']);
});

test('group "*" (every group) is a valid group entry (v1.37, checked on the real server)', () => {
  assert.deepEqual(problems('- level: Metadata\n  resources:\n  - group: "*"\n'), []);
});
