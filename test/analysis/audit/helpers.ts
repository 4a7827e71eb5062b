// Shared by the audit tests: a policy from YAML, and requests with sensible defaults.

import assert from 'node:assert/strict';
import jsYaml from 'js-yaml';
import type { AuditRequest, NonResourceRequest, ResourceRequest } from '../../../src/analysis/audit/evaluate.js';
import { parsePolicy, type AuditPolicy } from '../../../src/analysis/audit/policy.js';
import { KUBERNETES_YAML_SCHEMA } from '../../../src/inventory/yaml.js';

export function policyFromYaml(text: string): AuditPolicy {
  const parsed = parsePolicy(jsYaml.load(text, { schema: KUBERNETES_YAML_SCHEMA }) as Record<string, unknown>);
  if (!parsed.ok) assert.fail('test policy is invalid: ' + parsed.problems.map((p) => p.message).join('; '));
  return parsed.policy;
}

export function resourceRequest(r: Partial<Omit<ResourceRequest, 'kind'>>): AuditRequest {
  return { kind: 'resource', user: 'alice', groups: ['system:authenticated'], verb: 'get', apiGroup: '', resource: 'pods', subresource: '', namespace: 'default', name: '', ...r };
}

export function nonResourceRequest(r: Partial<Omit<NonResourceRequest, 'kind'>>): AuditRequest {
  return { kind: 'nonResource', user: 'alice', groups: ['system:authenticated'], verb: 'get', path: '/healthz', ...r };
}
