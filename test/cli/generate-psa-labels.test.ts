import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerGeneratePsaLabels } from '../../src/cli/commands/generate-psa-labels.js';
import { pssChecks } from '../../src/checks/pod-security/index.js';

test('generate psa-labels writes Namespace objects for every namespace of the input', { skip: pssChecks.length === 0 ? 'the PSS checks are not on this branch (the lead adds this end-to-end run after merging)' : false }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-psa-'));
  writeFileSync(path.join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
  const generate = new Command('generate').exitOverride();
  registerGeneratePsaLabels(generate);
  await generate.parseAsync(['psa-labels', path.join(dir, 'ns.yaml'), '-o', path.join(dir, 'out.yaml')], { from: 'user' });
  assert.match(readFileSync(path.join(dir, 'out.yaml'), 'utf8'), /name: "shop"\n {2}labels:\n {4}pod-security\.kubernetes\.io\/enforce: restricted/);
});

test('generate psa-labels refuses a bad --pss-version', async () => {
  const generate = new Command('generate').exitOverride();
  registerGeneratePsaLabels(generate);
  await assert.rejects(generate.parseAsync(['psa-labels', 'x.yaml', '--pss-version', '1.30'], { from: 'user' }), /--pss-version must be latest or v1\.N, got 1\.30/);
});
