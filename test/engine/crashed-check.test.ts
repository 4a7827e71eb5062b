// A check that crashes decided nothing, so nothing may pass on it: a scan exits 2 and says which
// check and why (on stderr and in the table), and the webhook does not admit the object as if it
// had passed. No real check crashes on purpose (wrong-types-fuzz.test.ts looks for ones that do),
// so a stand-in that throws plays the bug.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanManifests } from '../../src/engine/scan.js';
import { exitCodeFor, exitReason } from '../../src/cli/output.js';
import { renderTable } from '../../src/report/table.js';
import { renderSarif } from '../../src/report/sarif.js';

import { decide } from '../../src/webhook/decide.js';
import { judgeObject } from '../../src/webhook/judge.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { standInPodCheck } from '../helpers.js';
import { validateSarif } from '../report/sarif-schema.js';

const crashing = standInPodCheck('stand-in-crashing-check', () => {
  throw new TypeError("Cannot read properties of undefined (reading 'image')");
});

const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } };
const POD_YAML = JSON.stringify(POD);

test('a crashed check makes the scan exit 2, named on stderr and in the table, not a pass', async () => {
  const result = await scanManifests(['-'], { readStdin: async () => POD_YAML, checks: [crashing] });
  const check = result.checks.find((c) => c.id === crashing.id);
  assert.equal(check?.status, 'error');
  assert.match(check?.reason ?? '', /^check crashed: Cannot read properties of undefined/);
  assert.deepEqual(result.findings, []);
  assert.equal(exitCodeFor(result, 'high'), 2);
  assert.equal(exitCodeFor(result, 'none'), 2);
  assert.equal(
    exitReason(result, 'high', 2),
    'kubeharden: exit 2: 1 check could not run: stand-in-crashing-check (the report\'s checks say why; please report it as a bug)',
  );
  const table = renderTable(result, { color: false });
  assert.match(table, /Checks that could not run\n {2}stand-in-crashing-check: check crashed: Cannot read properties of undefined \(reading 'image'\)/);
  assert.match(table, /1 errored/);
  // SARIF: the run did not complete as it should, and a notification says which check and why.
  const sarif = JSON.parse(renderSarif(result)) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; descriptor: { id: string }; message: { text: string } }[] }[] }[] };
  assert.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 3)));
  const [invocation] = sarif.runs[0]!.invocations;
  assert.equal(invocation!.executionSuccessful, false);
  assert.deepEqual(
    invocation!.toolExecutionNotifications.map((n) => [n.level, n.descriptor.id, n.message.text]),
    [['error', 'stand-in-crashing-check', "stand-in-crashing-check could not run: check crashed: Cannot read properties of undefined (reading 'image')"]],
  );
});

test('input errors and a crashed check are both named in the one stderr line', async () => {
  const result = await scanManifests(['-'], { readStdin: async () => `${POD_YAML}\n---\nkind: [\n`, checks: [crashing] });
  assert.equal(exitCodeFor(result, 'high'), 2);
  assert.match(exitReason(result, 'high', 2) ?? '', /^kubeharden: exit 2: 1 input could not be read: <stdin> \(the report's errors say why\); 1 check could not run: stand-in-crashing-check/);
});

test('the real checks on the same pod: no check crashes, and the exit code is the findings\'', async () => {
  const result = await scanManifests(['-'], { readStdin: async () => POD_YAML, checks: ALL_CHECKS });
  assert.deepEqual(result.checks.filter((c) => c.status === 'error'), []);
  assert.equal(exitCodeFor(result, 'high'), result.findings.some((f) => f.severity === 'high' || f.severity === 'critical') ? 1 : 0);
});

test('the webhook does not admit an object a crashed check could not judge: it is denied (warned about in warn mode) naming the check', () => {
  const judged = judgeObject(POD, undefined, { failOn: 'high', checks: [crashing] });
  assert.ok(judged.evaluated);
  assert.deepEqual(judged.blocking, []);
  assert.deepEqual(judged.problems, ["stand-in-crashing-check could not run (check crashed: Cannot read properties of undefined (reading 'image'))"]);

  const request = { uid: 'u1', operation: 'CREATE', kind: 'Pod', namespace: 'shop', name: 'web', object: POD, dryRun: false };
  const denied = decide(request, { failOn: 'high', mode: 'deny', checks: [crashing] });
  assert.ok('verdict' in denied);
  assert.equal(denied.verdict.allowed, false);
  assert.match(denied.verdict.message ?? '', /kubeharden could not evaluate it: stand-in-crashing-check could not run/);
  const warned = decide(request, { failOn: 'high', mode: 'warn', checks: [crashing] });
  assert.ok('verdict' in warned);
  assert.equal(warned.verdict.allowed, true);
  assert.match((warned.verdict.warnings ?? []).join('\n'), /stand-in-crashing-check could not run/);
});
