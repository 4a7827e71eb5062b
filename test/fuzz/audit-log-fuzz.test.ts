// Property-based fuzzing of the audit-log path of `generate rbac` with fast-check: real events of
// the recorded kube-apiserver log with fields replaced by arbitrary JSON values, lines cut short,
// binary noise between lines. The property: nothing throws, every event either counts or is
// reported as malformed, the generated policies pass their dry run, and Object.prototype is not
// polluted. Seeded and bounded like scan-fuzz (KUBEHARDEN_FUZZ_RUNS / KUBEHARDEN_FUZZ_SEED).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { generateRbac } from '../../src/fix/generate-rbac.js';
import { renderPolicy } from '../../src/fix/rbac-from-evidence.js';
import { readEvidence } from '../../src/sources/audit-log.js';
import { REPO_ROOT } from '../helpers.js';

const RUNS = Number(process.env.KUBEHARDEN_FUZZ_RUNS ?? 25);
const SEED = Number(process.env.KUBEHARDEN_FUZZ_SEED ?? 20261206);
const EVENTS = readFileSync(path.join(REPO_ROOT, 'test/fixtures/audit-logs/sa-team-app.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const FIELDS = ['stage', 'verb', 'user', 'objectRef', 'requestURI', 'auditID', 'responseStatus', 'annotations', 'impersonatedUser', 'kind', 'apiVersion', 'stageTimestamp', '__proto__', 'constructor'];

const mutatedLine = fc.oneof(
  fc.record({ event: fc.constantFrom(...EVENTS), field: fc.constantFrom(...FIELDS), value: fc.jsonValue() }).map(({ event, field, value }) => JSON.stringify({ ...event, [field]: value })),
  fc.record({ event: fc.constantFrom(...EVENTS), field: fc.constantFrom('user', 'objectRef', 'impersonatedUser'), inner: fc.dictionary(fc.constantFrom('username', 'groups', 'resource', 'name', 'namespace', 'subresource', 'apiGroup', 'extra', '__proto__'), fc.jsonValue()) }).map(({ event, field, inner }) => JSON.stringify({ ...event, [field]: inner })),
  fc.constantFrom(...EVENTS).chain((e) => fc.nat(JSON.stringify(e).length).map((cut) => JSON.stringify(e).slice(0, cut))),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1').replace(/\n/g, ' ')),
  fc.constantFrom(...EVENTS).map((e) => JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [e, 'nope', e] })),
);

test('fuzzed audit logs: no exception, every line counted or reported, dry runs pass, no prototype pollution', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-audit-fuzz-'));
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(mutatedLine, fc.constantFrom(...EVENTS).map((e) => JSON.stringify(e))), { maxLength: 40 }), async (lines) => {
      const file = path.join(dir, `f${n++}.log`);
      writeFileSync(file, lines.join('\n'));
      const { evidence, read } = await readEvidence([file]);
      assert.ok(read.malformed <= read.lines);
      for (const policy of generateRbac(evidence).policies) {
        const rendered = renderPolicy(policy);
        assert.equal(rendered.dryRun.ok, true, `${rendered.dryRun.notAllowed.join('; ')} ${rendered.dryRun.unused.join('; ')}\n${rendered.yaml}`);
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.keys(Object.prototype).length, 0);
    }),
    { numRuns: RUNS, seed: SEED },
  );
});
