// The fast block-YAML locator must agree with the exact parser wherever it answers.
// These inputs are chosen to trip it: flow collections, anchors, merge keys, quoted keys,
// block scalars that look like keys, sequences at their key's indentation, comments.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { resolvePositions, type PositionRequest } from '../../src/inventory/positions.js';
import { contentLines, locateInBlockYaml } from '../../src/inventory/fast-locate.js';
import { splitDocuments, parseDocument } from '../../src/inventory/yaml.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { REPO_ROOT } from '../helpers.js';
import { readFileSync } from 'node:fs';

const TRICKY = `# leading comment
apiVersion: v1
kind: Pod
metadata:
  name: tricky
  labels: {app: web, "tier": front}
  annotations:
    "quoted.example.com/key": "v"
    'single''quote': x
    script: |
      notakey: here
        - nor: this
spec:
  containers:
  - name: a   # trailing comment
    image: nginx:1.27
    env:
    - {name: X, value: "1"}
    - name: Y
      value: |
        multi
    securityContext: &sc
      runAsUser: 1000
  - - nested
  initContainers:
    - # a comment where the item starts
      name: init
      securityContext: *sc
  volumes:
  - name: v
    emptyDir: {}
  nodeSelector:
    <<: {zone: a}
    disk: ssd
  hostname: first
  hostname: second
`;

function allPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
    out.push([...prefix, 'absentField']);
  }
  return out;
}

async function compare(file: string, text: string, requests: PositionRequest[]): Promise<{ answeredFast: number }> {
  const withRoot = await resolvePositions(file, requests, text);
  const exact = await resolvePositions(file, requests.map((r) => ({ doc: r.doc, path: r.path })), text);
  requests.forEach((r, i) => assert.deepEqual(withRoot[i], exact[i], `${file} ${JSON.stringify(r.path)}`));
  const chunks = splitDocuments(text);
  let answeredFast = 0;
  for (const r of requests) {
    if (locateInBlockYaml(contentLines(chunks[r.doc]!.text), r.root, r.path)) answeredFast++;
  }
  return { answeredFast };
}

test('agrees with the exact parser on tricky YAML, and falls back where it must', async () => {
  const [chunk] = splitDocuments(TRICKY);
  const parsed = parseDocument(chunk!);
  assert.ok(parsed.ok);
  const requests = allPaths(parsed.value).map((p) => ({ doc: 0, path: p, root: parsed.value }));
  const { answeredFast } = await compare('tricky.yaml', TRICKY, requests);
  assert.ok(answeredFast > requests.length / 2, `fast path answered ${answeredFast} of ${requests.length}`);
  // Flow and merged values are left to the exact parser.
  const lines = contentLines(chunk!.text);
  assert.equal(locateInBlockYaml(lines, parsed.value, ['metadata', 'labels', 'app']), undefined);
  assert.equal(locateInBlockYaml(lines, parsed.value, ['spec', 'nodeSelector', 'zone']), undefined);
  // The last duplicate key wins, as in the decoder.
  assert.deepEqual(locateInBlockYaml(lines, parsed.value, ['spec', 'hostname']), { line: 35, column: 3, found: 2 });
});

test('agrees with the exact parser on every path of the demo cluster and the PSS fixtures', async () => {
  for (const dir of ['examples/demo-cluster', 'test/fixtures/conformance/pss']) {
    const root = path.join(REPO_ROOT, dir);
    const { inventory } = await loadManifests([root]);
    assert.ok(inventory.size > 10, `${dir} holds manifests`);
    const byFile = new Map<string, PositionRequest[]>();
    for (const obj of inventory.objects) {
      const list = byFile.get(obj.source.file) ?? [];
      byFile.set(obj.source.file, list);
      for (const p of allPaths(obj.raw)) list.push({ doc: obj.source.doc, path: p, root: obj.raw });
    }
    for (const [file, requests] of byFile) await compare(file, readFileSync(file, 'utf8'), requests);
  }
});
