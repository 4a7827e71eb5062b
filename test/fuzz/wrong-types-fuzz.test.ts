// Wrong field types anywhere in real objects: a string where the API has a list, a list where it
// has a map, a number for a name, null for a whole spec. Each run takes objects of every kind in
// the real-world corpus, replaces some of their fields (one to forty in all, at any depth) with
// values of other JSON types, and scans them. The property: no check crashes (a crash is the check's status
// `error`, and costs the user that check for every object of the scan, not just the odd one), no
// exception escapes, every report format renders, and every input error names its source.
//
// Seeded and bounded (200 runs, a few seconds; a check that reads `image` without minding its type
// was caught within 135 runs when tried): KUBEHARDEN_FUZZ_RUNS=2000 (and KUBEHARDEN_FUZZ_SEED=N)
// for a longer run; a failure prints the seed and the counterexample.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { scanManifests } from '../../src/engine/scan.js';
import { exitCodeFor, renderResult, REPORT_FORMATS } from '../../src/cli/output.js';
import { isMapping } from '../../src/inventory/model.js';
import { containersOf } from '../../src/inventory/pod-specs.js';
import { REPO_ROOT, standInPodCheck } from '../helpers.js';

const RUNS = Number(process.env.KUBEHARDEN_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.KUBEHARDEN_FUZZ_SEED ?? 20261206);

/** Objects of every kind in the corpus, small enough to scan many at once (CRDs left out: their schemas are most of their bytes). */
function seedObjects(): Record<string, unknown>[] {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real');
  const byKind = new Map<string, Record<string, unknown>[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    yaml.loadAll(readFileSync(path.join(dir, file), 'utf8'), (doc) => {
      if (!isMapping(doc) || typeof doc.kind !== 'string' || doc.kind === 'CustomResourceDefinition') return;
      if (JSON.stringify(doc).length > 20_000) return;
      let list = byKind.get(doc.kind);
      if (!list) byKind.set(doc.kind, (list = []));
      // At most a few of each kind, so that every kind is drawn about as often.
      if (list.length < 4) list.push(JSON.parse(JSON.stringify(doc)) as Record<string, unknown>);
    });
  }
  return [...byKind.values()].flat();
}

const SEEDS = seedObjects();

/** Every path in a value, the root excluded. */
function pathsIn(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([...prefix, i]), pathsIn(v, [...prefix, i], out)));
  else if (isMapping(value)) for (const [k, v] of Object.entries(value)) (out.push([...prefix, k]), pathsIn(v, [...prefix, k], out));
  return out;
}

function replaceAt(root: Record<string, unknown>, at: (string | number)[], value: unknown): void {
  let node: unknown = root;
  for (const seg of at.slice(0, -1)) node = (node as Record<string | number, unknown> | undefined)?.[seg];
  if (node !== null && typeof node === 'object') (node as Record<string | number, unknown>)[at[at.length - 1]!] = value;
}

/** Values of every JSON type, the edge cases among them. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, 0, -1, 1.5, 2 ** 53, '', 'x', '0644', 'yes', true, false, [], {}, [null], [{}], [[]], { '': null }, ['x'], [1], { a: { b: [] } }),
  fc.jsonValue({ maxDepth: 3 }),
);

const input = fc
  .tuple(
    fc.array(fc.nat({ max: SEEDS.length - 1 }), { minLength: 1, maxLength: 20 }),
    fc.array(fc.tuple(fc.nat(), fc.nat(), wrongValue), { minLength: 1, maxLength: 40 }),
  )
  .map(([picks, replacements]) => {
    const objects = picks.map((i) => structuredClone(SEEDS[i]!));
    for (const [which, where, value] of replacements) {
      const object = objects[which % objects.length]!;
      const paths = pathsIn(object);
      if (paths.length) replaceAt(object, paths[where % paths.length]!, structuredClone(value));
    }
    // JSON is YAML: each object a document of its own.
    return objects.map((o) => JSON.stringify(o)).join('\n---\n');
  });

test('the seed objects cover many kinds', () => {
  const kinds = new Set(SEEDS.map((o) => o.kind));
  assert.ok(kinds.size >= 150, `${kinds.size} kinds`);
});

test(`no check crashes on wrong field types anywhere in real objects (${RUNS} runs, seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(input, async (text) => {
      const result = await scanManifests(['-'], { readStdin: async () => text });
      const crashed = result.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.reason}`);
      assert.deepEqual(crashed, []);
      assert.ok([0, 1, 2].includes(exitCodeFor(result, 'high')));
      for (const e of result.errors) assert.ok(typeof e.source === 'string' && typeof e.message === 'string' && e.message.length > 0, JSON.stringify(e));
      for (const format of REPORT_FORMATS) assert.equal(typeof renderResult(result, format, 'report.out'), 'string');
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});

test('the property can fail: a check that reads a container image without minding its type is caught', async () => {
  const fragile = standInPodCheck('fragile-image-check', (pod) =>
    containersOf(pod).flatMap((c) => ((c.container.image as string).includes('@') ? [] : [{ path: [...c.path, 'image'], message: 'no digest' }])),
  );
  const found = await fc.check(
    fc.asyncProperty(input, async (text) => {
      const result = await scanManifests(['-'], { readStdin: async () => text, checks: [fragile] });
      return result.checks.every((c) => c.status !== 'error');
    }),
    { numRuns: 2000, seed: SEED, endOnFailure: true },
  );
  assert.ok(found.failed, 'the generator never gave a container an image of another type');
});
