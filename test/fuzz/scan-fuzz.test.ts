// Property-based fuzzing of `scan` with fast-check: mutations of real manifests from the corpus
// (YAML tags, anchors, aliases and merge keys, duplicate keys, BOM/CRLF/NUL, many documents, deep
// nesting, `__proto__`/`constructor` keys and kinds, huge strings) scanned and rendered in every
// output format. The property: no exception escapes (what would be a stack trace), the exit code
// is 0, 1 or 2, every input error names its source, and nothing pollutes Object.prototype.
//
// Seeded and bounded: a fixed seed and a few dozen runs in `npm test` (a few seconds). A longer
// run: KUBEHARDEN_FUZZ_RUNS=2000 (and KUBEHARDEN_FUZZ_SEED=N for another seed) — a failure prints
// the seed and the shrunk counterexample to replay.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { scanManifests } from '../../src/engine/scan.js';
import { exitCodeFor, renderResult, REPORT_FORMATS } from '../../src/cli/output.js';
import { splitDocuments } from '../../src/inventory/yaml.js';
import { REPO_ROOT } from '../helpers.js';

const RUNS = Number(process.env.KUBEHARDEN_FUZZ_RUNS ?? 25);
const SEED = Number(process.env.KUBEHARDEN_FUZZ_SEED ?? 20261205);

/** Real documents to mutate: workloads, RBAC, NetworkPolicies and Services of a few corpus files. */
function seedDocuments(): string[] {
  const files = ['longhorn__longhorn__deploy-longhorn.yaml', 'istio__istio__samples-addons.yaml', 'GoogleCloudPlatform__microservices-demo__release-kubernetes-manifests.yaml', 'prometheus-operator__kube-prometheus__manifests.yaml'];
  const docs: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real', file), 'utf8');
    for (const chunk of splitDocuments(text)) {
      if (chunk.text.length < 6000 && /^kind: (Deployment|DaemonSet|StatefulSet|Pod|Role|ClusterRole|RoleBinding|ClusterRoleBinding|NetworkPolicy|Service|Job|CronJob)$/m.test(chunk.text)) docs.push(chunk.text);
    }
  }
  return docs.slice(0, 60);
}

const SEEDS = seedDocuments();

type Mutation = (text: string) => string;

const lineAt = (text: string, n: number) => {
  const lines = text.split('\n');
  return { lines, i: lines.length ? n % lines.length : 0 };
};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // A YAML tag before a value (core, unknown, language-specific).
  fc.tuple(fc.nat(), fc.constantFrom('!!binary ', '!!str ', '!!map ', '!!seq ', '!!int ', '!!float ', '!!null ', '!!timestamp ', '!custom ', '!!python/object:os.system ', '!<tag:yaml.org,2002:js/function> ')).map(([n, tag]): Mutation => (t) => {
    const { lines, i } = lineAt(t, n);
    lines[i] = (lines[i] ?? '').replace(/: (\S)/, `: ${tag}$1`);
    return lines.join('\n');
  }),
  // Anchors, aliases and merge keys, with names a pattern might not expect.
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('a', '.x', '-', 'é', 'a.b', '0', '__proto__')).map(([n, m, name]): Mutation => (t) => {
    const { lines, i } = lineAt(t, n);
    const j = m % Math.max(1, lines.length);
    lines[i] = (lines[i] ?? '').replace(/^(\s*[\w.-]+:)(\s*)$/, `$1 &${name}$2`);
    lines[j] = (lines[j] ?? '').replace(/^(\s*)([\w.-]+): .*$/, `$1<<: *${name}`);
    return lines.join('\n');
  }),
  // A duplicate key: a line repeated.
  fc.nat().map((n): Mutation => (t) => {
    const { lines, i } = lineAt(t, n);
    lines.splice(i, 0, lines[i] ?? '');
    return lines.join('\n');
  }),
  fc.constant<Mutation>((t) => '\uFEFF' + t),
  fc.constant<Mutation>((t) => t.replace(/\n/g, '\r\n')),
  fc.tuple(fc.nat(), fc.constantFrom('\0', '\r', '\t', '\u2028', '\uFFFE', '\uD800', '\x1b[31m')).map(([n, c]): Mutation => (t) => t.slice(0, n % (t.length + 1)) + c + t.slice(n % (t.length + 1))),
  // Many documents.
  fc.integer({ min: 2, max: 3000 }).map((k): Mutation => (t) => t + '\n' + '---\n{}\n'.repeat(k)),
  // Deep nesting, in flow and block style.
  fc.integer({ min: 50, max: 5000 }).map((d): Mutation => (t) => t + `\n---\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(d)}${']'.repeat(d)}\n`),
  fc.integer({ min: 50, max: 400 }).map((d): Mutation => (t) => t + '\n---\nkind: Pod\nmetadata: {name: deep}\nspec:\n' + Array.from({ length: d }, (_, i) => ' '.repeat(2 + 2 * i) + 'x:').join('\n') + ' 1\n'),
  // Prototype keys and kinds.
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty').map((k): Mutation => (t) =>
    t + `\n---\napiVersion: v1\nkind: ${k}\nmetadata: {name: ${k}, labels: {${k}: x}, ${k}: {polluted: yes}}\nspec: {${k}: {polluted: yes}, containers: {${k}: 1}}\n`),
  fc.constantFrom('__proto__', 'constructor').map((k): Mutation => (t) => t.replace(/^(\s*)(name|image|namespace): /m, `$1${k}: {polluted: true}\n$1$2: `)),
  // Huge strings.
  fc.integer({ min: 1_000, max: 1_000_000 }).map((n): Mutation => (t) => t.replace(/^(\s*name: ).*$/m, `$1${'n'.repeat(n)}`)),
  // Truncation and wrong types.
  fc.nat().map((n): Mutation => (t) => t.slice(0, n % (t.length + 1))),
  fc.tuple(fc.nat(), fc.constantFrom('[]', '{}', 'null', '~', '1e999', '-0', '0x', '"', "'", '|', '>', '*', '&', '!', '%', '@', '`', 'yes', 'n', '0644')).map(([n, v]): Mutation => (t) => {
    const { lines, i } = lineAt(t, n);
    lines[i] = (lines[i] ?? '').replace(/: .*$/, `: ${v}`);
    return lines.join('\n');
  }),
);

const input = fc.tuple(fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 3 }), fc.array(mutation, { maxLength: 4 })).map(([docs, mutations]) => mutations.reduce((text, m) => m(text), docs.join('\n---\n')));

test('the seed documents are real manifests', () => {
  assert.ok(SEEDS.length >= 20, `${SEEDS.length} seed documents`);
});

test(`scan survives mutated real manifests in every output format (${RUNS} runs, seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(input, async (text) => {
      const result = await scanManifests(['-'], { readStdin: async () => text });
      assert.ok([0, 1, 2].includes(exitCodeFor(result, 'high')));
      for (const e of result.errors) assert.ok(typeof e.source === 'string' && typeof e.message === 'string' && e.message.length > 0, JSON.stringify(e));
      for (const format of REPORT_FORMATS) {
        const out = renderResult(result, format, 'report.out');
        assert.equal(typeof out, 'string');
      }
      // Nothing read from the input reached Object.prototype.
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});

test('10,000 documents in one stream are read, each an object', async () => {
  const text = Array.from({ length: 10_000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: n}\ndata: {k: v}\n`).join('---\n');
  const result = await scanManifests(['-'], { readStdin: async () => text });
  assert.equal(result.summary.objects, 10_000);
  assert.deepEqual(result.errors, []);
});
