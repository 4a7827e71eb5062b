import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditFlagFindings } from '../../../src/analysis/audit/flags.js';

const findings = (flags: Record<string, string>) => auditFlagFindings(new Map(Object.entries(flags))).map((f) => f.flag);

test('no policy file and no backend: auditing is off', () => {
  assert.deepEqual(findings({}), ['audit-policy-file', 'audit-log-path']);
});

test('a webhook backend alone is enough; retention flags apply only to the log backend', () => {
  assert.deepEqual(findings({ 'audit-policy-file': '/etc/kubernetes/audit.yaml', 'audit-webhook-config-file': '/etc/kubernetes/audit-webhook.kubeconfig' }), []);
});

test('the log backend needs CIS retention: maxage >= 30, maxbackup >= 10, maxsize >= 100', () => {
  const base = { 'audit-policy-file': '/p.yaml', 'audit-log-path': '-' };
  assert.deepEqual(findings({ ...base, 'audit-log-maxage': '30', 'audit-log-maxbackup': '10', 'audit-log-maxsize': '100' }), []);
  assert.deepEqual(findings({ ...base, 'audit-log-maxage': '7', 'audit-log-maxsize': '100' }), ['audit-log-maxage', 'audit-log-maxbackup']);
  const bad = auditFlagFindings(new Map(Object.entries({ ...base, 'audit-log-maxage': '30d', 'audit-log-maxbackup': '10', 'audit-log-maxsize': '100' })));
  assert.match(bad[0]!.message, /--audit-log-maxage=30d is not a whole number/);
});
