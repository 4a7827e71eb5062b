// A check tester in the spirit of ESLint's RuleTester: valid inputs must pass, invalid inputs
// must give exactly the listed findings (field path, line, column, message). Every case runs
// through the real engine — runChecks with its scope dispatch, `needs`, skips and dedupe, then
// the position finder — not through a second dispatcher, so a check tested here behaves the
// same in `kubeharden scan`.
//
//   checkTester(containerImagePinned, {
//     valid: [POD_WITH_DIGEST],
//     invalid: [{ yaml: POD_LATEST, findings: [{ path: 'spec.containers[0].image', line: 7, column: 12, message: /:latest/ }] }],
//   });

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../src/checks/types.js';
import type { ScanSettings } from '../src/engine/context.js';
import { locateFindings } from '../src/engine/locate.js';
import { runChecks } from '../src/engine/run.js';
import { sortFindings } from '../src/engine/scan.js';
import { Inventory } from '../src/inventory/inventory.js';
import { addText } from '../src/inventory/parse-manifest.js';
import type { CheckResult, Result } from '../src/result/result.js';

export interface ExpectedFinding {
  /** The field path as the Result prints it: `spec.containers[0].image`. */
  path: string;
  line?: number;
  column?: number;
  /** The whole message, or a pattern it must match. */
  message: string | RegExp;
}

export interface ValidCase {
  yaml: string;
  name?: string;
  settings?: Partial<ScanSettings>;
  /** The check's status on this input (default `pass`): a valid input is never a failure. */
  status?: Exclude<CheckResult['status'], 'fail' | 'error'>;
}

export interface InvalidCase {
  yaml: string;
  name?: string;
  settings?: Partial<ScanSettings>;
  /** Every finding the check must report, in the order the Result lists them; no others. */
  findings: ExpectedFinding[];
}

export interface CheckTestCases {
  valid: (string | ValidCase)[];
  invalid: InvalidCase[];
}

const FILE = 'input.yaml';

/** Scans one YAML text with one check through the engine, as `kubeharden scan` would. */
export async function scanWithCheck(check: Check, yaml: string, settings: Partial<ScanSettings> = {}): Promise<{ result: Result; status: CheckResult }> {
  const inventory = new Inventory();
  addText(inventory, FILE, yaml, 0);
  const unreadable = inventory.problems.filter((p) => p.level === 'error');
  if (unreadable.length) throw new Error(`the test input does not load: ${unreadable.map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.message}`).join('; ')}`);
  const { result, located } = runChecks(inventory, [check], { type: 'manifests', inputs: [FILE], files: 1 }, { settings, ...(check.optIn ? { enabled: [check.id] } : {}) });
  await locateFindings(located, new Map([[FILE, yaml]]));
  sortFindings(result);
  const status = result.checks.find((c) => c.id === check.id);
  if (!status) throw new Error(`the engine did not run ${check.id}`);
  return { result, status };
}

const label = (yaml: string, name?: string) => name ?? yaml.trim().split('\n').find((l) => /^kind:/.test(l.trim())) ?? yaml.trim().split('\n')[0]!;

/** Registers one node:test suite for the check: one test per valid and per invalid case. */
export function checkTester(check: Check, cases: CheckTestCases): void {
  describe(`${check.id} (check tester)`, () => {
    cases.valid.forEach((c, i) => {
      const v: ValidCase = typeof c === 'string' ? { yaml: c } : c;
      it(`valid #${i + 1}: ${label(v.yaml, v.name)}`, async () => {
        const { result, status } = await scanWithCheck(check, v.yaml, v.settings);
        assert.deepEqual(result.findings.map((f) => f.message), [], 'a valid input gives no finding');
        assert.equal(status.status, v.status ?? 'pass', status.reason);
      });
    });
    cases.invalid.forEach((c, i) => {
      it(`invalid #${i + 1}: ${label(c.yaml, c.name)}`, async () => {
        assert.ok(c.findings.length > 0, 'an invalid case lists the findings it expects');
        const { result, status } = await scanWithCheck(check, c.yaml, c.settings);
        assert.equal(status.status, check.failStatus ?? 'fail', status.reason);
        const got = result.findings.map((f) => ({ path: f.location.path, line: f.location.line, column: f.location.column, message: f.message }));
        assert.equal(got.length, c.findings.length, `findings: ${JSON.stringify(got, null, 2)}`);
        c.findings.forEach((want, k) => {
          const f = got[k]!;
          assert.equal(f.path, want.path, `finding ${k + 1}: path`);
          if (want.line !== undefined) assert.equal(f.line, want.line, `finding ${k + 1}: line`);
          if (want.column !== undefined) assert.equal(f.column, want.column, `finding ${k + 1}: column`);
          if (typeof want.message === 'string') assert.equal(f.message, want.message, `finding ${k + 1}: message`);
          else assert.match(f.message, want.message, `finding ${k + 1}: message`);
        });
      });
    });
  });
}
