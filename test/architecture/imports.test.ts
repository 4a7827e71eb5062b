// The import direction of DESIGN.md, checked by scripts/check-imports.js: cli → (engine,
// queries, sources, report, publish, fix, webhook) → checks → analysis → inventory → result,
// no parts importing each other, no file cycle in cli/commands, no I/O in checks, analysis,
// result, report or queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = 'scripts/check-imports.js';

function run(root: string): { status: number | null; figures: { violations: unknown[]; mutual: unknown[]; cycles: unknown[]; io: unknown[] }; text: string } {
  const json = spawnSync(process.execPath, [SCRIPT, root, '--json'], { encoding: 'utf8' });
  const text = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' }).stdout;
  return { status: json.status, figures: JSON.parse(json.stdout), text };
}

test('src/ imports only in the direction DESIGN.md states', () => {
  const { status, text } = run('src');
  assert.equal(status, 0, text);
});

test('the check fails on an import against the direction, parts importing each other, a command cycle and I/O in a check', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeharden-imports-'));
  try {
    const file = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    file('result/result.ts', "export type Severity = 'high';\n");
    file('checks/a.ts', "import { x } from '../sources/b.js';\nimport { readFileSync } from 'node:fs';\n// import { y } from '../engine/c.js'; (a comment is not an import)\nexport const a = x;\n");
    file('sources/b.ts', "import type { a } from '../checks/a.js';\nexport const x = 1;\n");
    file('inventory/i.ts', "import type { Severity } from '../result/result.js';\nexport type I = Severity;\n");
    file('result/r.ts', "export { type I } from '../inventory/i.js';\n");
    file('cli/commands/one.ts', "import { two } from './two.js';\nexport const one = two;\n");
    file('cli/commands/two.ts', "import { one } from './one.js';\nexport const two = () => one;\n");
    const { status, figures } = run(dir);
    assert.equal(status, 1);
    assert.deepEqual(
      (figures.violations as { file: string; line: number; to: string }[]).map((v) => `${v.file}:${v.line} ${v.to}`).sort(),
      ['checks/a.ts:1 sources', 'result/r.ts:1 inventory', 'sources/b.ts:1 checks'],
    );
    assert.deepEqual(figures.mutual, [['checks', 'sources'], ['inventory', 'result']]);
    assert.equal(figures.cycles.length, 1);
    assert.deepEqual((figures.io as { file: string }[]).map((i) => i.file), ['checks/a.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
