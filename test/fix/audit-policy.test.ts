import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditChecks } from '../../src/checks/audit/index.js';
import { levelAndStages } from '../../src/analysis/audit/evaluate.js';
import { readAuditPolicyText } from '../../src/analysis/audit/policy-file.js';
import { runChecks } from '../../src/engine/run.js';
import { GENERATED_AUDIT_POLICY } from '../../src/fix/audit-policy.js';
import { inventoryFromYaml } from '../helpers.js';

test('the generated audit policy passes every audit check of kubeharden', () => {
  const { result } = runChecks(inventoryFromYaml(GENERATED_AUDIT_POLICY), auditChecks, { type: 'manifests' });
  assert.deepEqual(result.findings, []);
  assert.deepEqual(result.checks.map((c) => [c.id, c.status]), auditChecks.map((c) => [c.id, 'pass']));
});

test('the generated audit policy logs what the guidance asks, at the levels it asks', () => {
  const loaded = readAuditPolicyText(GENERATED_AUDIT_POLICY, 'generated.yaml');
  assert.ok(loaded.ok);
  const base = { kind: 'resource' as const, user: 'alice', groups: ['system:authenticated'], namespace: 'prod', name: '', subresource: '' };
  const level = (r: Partial<typeof base> & { verb: string; apiGroup: string; resource: string }) => levelAndStages(loaded.policy, { ...base, ...r }).level;
  assert.equal(level({ verb: 'get', apiGroup: '', resource: 'secrets' }), 'Metadata');
  assert.equal(level({ verb: 'update', apiGroup: '', resource: 'configmaps' }), 'Metadata');
  assert.equal(level({ verb: 'create', apiGroup: 'authentication.k8s.io', resource: 'tokenreviews' }), 'Metadata');
  assert.equal(level({ verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' }), 'RequestResponse');
  assert.equal(level({ verb: 'patch', apiGroup: 'apps', resource: 'deployments' }), 'RequestResponse');
  assert.equal(level({ verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec' }), 'Metadata');
  assert.equal(level({ verb: 'watch', apiGroup: '', resource: 'endpoints', user: 'system:kube-proxy' }), 'None');
  assert.equal(level({ verb: 'update', apiGroup: '', resource: 'endpoints', user: 'system:kube-proxy' }), 'Metadata', 'writes by system users are still logged');
  assert.equal(level({ verb: 'get', apiGroup: 'example.com', resource: 'widgets' }), 'Metadata');
  assert.deepEqual(levelAndStages(loaded.policy, { kind: 'nonResource', user: 'x', groups: [], verb: 'get', path: '/readyz' }).level, 'None');
});
