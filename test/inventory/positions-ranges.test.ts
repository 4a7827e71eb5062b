// Positions of findings are found by reading again only the byte range of each document with
// findings (recorded as the file was parsed), not the whole file. They must be exactly the
// positions the whole-text path finds: compared here on the real-world corpus, and on files
// whose characters and bytes differ (a byte-order mark, multi-byte characters, a directive,
// invalid UTF-8).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadManifests } from '../../src/sources/manifests.js';
import { runChecks } from '../../src/engine/run.js';
import { locateFindings } from '../../src/engine/locate.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import type { Finding } from '../../src/result/result.js';
import { REPO_ROOT } from '../helpers.js';

const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real');

/** Every finding's place, located with the byte ranges or (dropping them) from the whole text. */
async function locations(inputs: string[], useRanges: boolean): Promise<string[]> {
  const { inventory, texts } = await loadManifests(inputs);
  if (!useRanges) for (const object of inventory.objects) delete object.source.range;
  const { result, located } = runChecks(inventory, ALL_CHECKS, { type: 'manifests' });
  await locateFindings(located, texts);
  return result.findings.map((f: Finding) => `${f.fingerprint} ${f.location.file}:${f.location.line}:${f.location.column} ${f.location.path}`);
}

test('byte ranges give every finding of the real corpus the position the whole text gives', async () => {
  const { inventory } = await loadManifests([CORPUS]);
  const ranged = inventory.objects.filter((o) => o.source.range).length;
  assert.ok(ranged > 3000, `the corpus objects record their ranges (${ranged} of ${inventory.size})`);
  const [withRanges, withText] = [await locations([CORPUS], true), await locations([CORPUS], false)];
  assert.ok(withRanges.length > 10_000);
  const differ = withRanges.filter((l, i) => l !== withText[i]);
  assert.deepEqual(differ.slice(0, 5), [], `${differ.length} findings placed differently`);
});

const PRIVILEGED_POD = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: app
spec:
  containers:
    - name: c
      image: nginx
      securityContext:
        privileged: true
`;

test('byte ranges are exact after a byte-order mark, multi-byte characters and a directive', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeharden-ranges-'));
  try {
    const file = path.join(dir, 'multi.yaml');
    const text =
      '\uFEFF# Ünïcödé 🚀 before the first document\n' +
      PRIVILEGED_POD('first').replace('image: nginx', 'image: nginx # café ☕') +
      '--- # ëmoji 🎉 after the marker\n' +
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: è, namespace: app}\ndata: {k: "日本語のテキスト"}\n' +
      '---\n' +
      PRIVILEGED_POD('second');
    writeFileSync(file, text);
    const { inventory } = await loadManifests([file]);
    assert.equal(inventory.objects.every((o) => o.source.range !== undefined), true);
    const withRanges = await locations([file], true);
    assert.deepEqual(withRanges, await locations([file], false));
    const privileged = withRanges.filter((l) => l.endsWith('spec.containers[0].securityContext.privileged'));
    // The first pod's field is on line 12 (after the comment line), the second's on line 29.
    assert.deepEqual(privileged.map((l) => l.split(' ')[1]!.split(':').slice(-2).join(':')).sort(), ['12:9', '29:9']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file with invalid UTF-8 records no ranges and its findings are still placed from the whole text', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeharden-ranges-'));
  try {
    const file = path.join(dir, 'latin1.yaml');
    // "café" in Latin-1: 0xE9 alone is not UTF-8, and decodes to U+FFFD.
    writeFileSync(file, Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n' + PRIVILEGED_POD('p'))]));
    const { inventory } = await loadManifests([file]);
    assert.equal(inventory.objects[0]!.source.range, undefined);
    const located = await locations([file], true);
    assert.ok(located.some((l) => l.includes(':12:9 spec.containers[0].securityContext.privileged')), located.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
