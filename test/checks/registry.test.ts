// The registry as a whole: every check id is unique and kebab-case, and every check says what
// it is for, why, how to fix it, what it reads, and which benchmark control it maps to.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CHECKS } from '../../src/checks/index.js';

test('every check id in ALL_CHECKS is unique', () => {
  const seen = new Map<string, number>();
  for (const c of ALL_CHECKS) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
  assert.deepEqual([...seen].filter(([, n]) => n > 1).map(([id]) => id), []);
});

test('every check id is kebab-case', () => {
  assert.deepEqual(ALL_CHECKS.map((c) => c.id).filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)), []);
});

test('every check has a title, rationale, remediation and appliesTo', () => {
  const empty = (v: unknown) => typeof v !== 'string' || v.trim() === '';
  const missing = ALL_CHECKS.flatMap((c) =>
    (['title', 'rationale', 'remediation', 'appliesTo'] as const).filter((k) => empty(c[k])).map((k) => `${c.id}: ${k}`),
  );
  assert.deepEqual(missing, []);
});

/**
 * kubeharden's own checks that no CIS, NSA or PSS item names (each says why beside its
 * `controls`); mapping them to a loosely related item would misstate a benchmark score.
 */
const OWN_CHECKS = ['apiserver-admission-flags-valid', 'audit-policy-rules-reachable', 'config-file-decodes', 'service-load-balancer-source-restricted', 'service-no-node-port', 'webhook-timeout-short'];

test('every check maps to at least one control, written framework:id (except the listed own checks)', () => {
  // The reliability category is availability, not security: by design it maps to no framework.
  assert.deepEqual(ALL_CHECKS.filter((c) => c.controls.length === 0 && c.category !== 'reliability').map((c) => c.id).sort(), [...OWN_CHECKS].sort());
  const malformed = ALL_CHECKS.flatMap((c) => c.controls.filter((k) => !/^(cis|nsa|pss):\S+$/.test(k)).map((k) => `${c.id}: ${k}`));
  assert.deepEqual(malformed, []);
});
