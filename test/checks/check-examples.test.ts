// Every check's metadata examples run through the check tester: the passing example gives no
// finding of the check, the failing one makes it fail. Examples are docs fragments; the
// tester gets them wrapped into whole documents by the check's scope (test/check-examples.ts).
// New checks with examples are covered without touching this file.
//
// Checks that cannot run an example this way have none (the meta-test does not require one):
// node checks (CIS node and control-plane items) judge files, modes and owners on a host, and
// probe checks judge what a live etcd or API server answered; neither is a YAML document. An
// example that needs other objects to decide (the Service that selects the pod, the Node a pod
// runs on) names them in `examples.beside`, and one that decides from the configuration gives
// it in `examples.config`; both are shown on the docs page. NOT_RUNNABLE stays for an example
// that still cannot run, with the reason; today there is none.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { checkTester } from '../check-tester.js';
import { exampleDocument, exampleSettings } from '../check-examples.js';

/** Examples that are illustrations, not inputs: what the check needs that a fragment cannot say. */
const NOT_RUNNABLE: Record<string, string> = {};

const withExamples = ALL_CHECKS.filter((c) => c.examples);

test('the examples of at least the pod, RBAC, network, encryption and webhook checks run', () => {
  assert.ok(withExamples.length >= 70, `${withExamples.length} checks with examples`);
  for (const id of Object.keys(NOT_RUNNABLE)) assert.ok(withExamples.some((c) => c.id === id), `${id} is listed as not runnable but has no examples`);
});

for (const check of withExamples) {
  if (NOT_RUNNABLE[check.id]) continue;
  const { pass, fail } = check.examples!;
  checkTester(check, {
    valid: [{ yaml: exampleDocument(check, pass), name: 'metadata example (pass)', settings: exampleSettings(check) }],
    invalid: [{ yaml: exampleDocument(check, fail), name: 'metadata example (fail)', settings: exampleSettings(check), findings: 'some' }],
  });
}
