// YAML 1.1 booleans as Kubernetes' decoder (go-yaml v2) reads them: every spelling of
// y/n/yes/no/on/off/true/false in lower, Title and UPPER case; nothing else (mixed case, quoted,
// longer words) is a boolean. A security field written `privileged: y` is privileged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, splitDocuments } from '../../src/inventory/yaml.js';
import { runCheck } from '../helpers.js';
import { ALL_CHECKS } from '../../src/checks/index.js';

function value(text: string): unknown {
  const parsed = parseDocument(splitDocuments(`v: ${text}\n`)[0]!);
  assert.ok(parsed.ok);
  return (parsed.value as { v: unknown }).v;
}

test('every YAML 1.1 boolean spelling, and only those', () => {
  for (const t of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']) assert.equal(value(t), true, t);
  for (const f of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']) assert.equal(value(f), false, f);
  for (const s of ['yES', 'nO', 'oN', 'oFF', 'tRUE', 'yess', 'nope', 'onn', 'o', 't', 'f', '"y"', "'no'", '1']) {
    const v = value(s);
    assert.notEqual(typeof v, 'boolean', `${s} → ${JSON.stringify(v)}`);
  }
});

test('short booleans decide security fields as the API server would read them', () => {
  const privileged = ALL_CHECKS.find((c) => c.id === 'container-not-privileged')!;
  const pod = (v: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: ${v}\n`;
  for (const yes of ['y', 'Y', 'on', 'YES']) assert.equal(runCheck(privileged, pod(yes)).length, 1, yes);
  for (const no of ['n', 'N', 'off', 'NO']) assert.equal(runCheck(privileged, pod(no)).length, 0, no);
});
