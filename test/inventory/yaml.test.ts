import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, splitDocuments } from '../../src/inventory/yaml.js';

function parseOne(text: string): unknown {
  const [chunk] = splitDocuments(text);
  assert.ok(chunk, 'expected one document');
  const parsed = parseDocument(chunk);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return parsed.value;
}

test('YAML 1.1 booleans are booleans, as Kubernetes decodes them', () => {
  const v = parseOne('a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: true\nh: "yes"\n');
  assert.deepEqual(v, { a: true, b: false, c: true, d: false, e: true, f: false, g: true, h: 'yes' });
});

test('YAML 1.1 integers: leading-zero octal, 0o, hex, binary, underscores; timestamps stay strings', () => {
  const v = parseOne('mode: 0644\no: 0o17\nhex: 0x1F\nbin: 0b101\nbig: 1_000\nneg: -012\nzero: 0\nday: 2024-05-01\nver: 1.10\nstr: "0644"\n');
  assert.deepEqual(v, { mode: 420, o: 15, hex: 31, bin: 5, big: 1000, neg: -10, zero: 0, day: '2024-05-01', ver: 1.1, str: '0644' });
});

test('anchors, aliases and merge keys resolve', () => {
  const v = parseOne('base: &b {cpu: 100m}\nlimits: *b\nmerged:\n  <<: *b\n  memory: 1Gi\n');
  assert.deepEqual(v, { base: { cpu: '100m' }, limits: { cpu: '100m' }, merged: { cpu: '100m', memory: '1Gi' } });
});

test('splits a stream at --- and ... with each document\'s first line', () => {
  const chunks = splitDocuments('# header\na: 1\n---\nb: 2\n--- {c: 3}\n...\n---\n\n# only a comment\n---\nd: 4\n');
  assert.deepEqual(chunks.map((c) => [c.index, c.line]), [[0, 1], [1, 3], [2, 5], [3, 7], [4, 10]]);
  assert.deepEqual(chunks.map((c) => parseDocument(c)).map((p) => (p.ok ? p.value : 'error')), [{ a: 1 }, { b: 2 }, { c: 3 }, null, { d: 4 }]);
});

test('--- inside a block scalar is not a document marker when indented', () => {
  const chunks = splitDocuments('data:\n  script: |\n    ---\n    echo hi\n');
  assert.equal(chunks.length, 1);
});

test('a %YAML directive before --- is accepted', () => {
  const chunks = splitDocuments('%YAML 1.1\n---\na: 1\n');
  const values = chunks.map((c) => parseDocument(c)).map((p) => (p.ok ? p.value : p.message));
  assert.deepEqual(values.filter((v) => v !== null), [{ a: 1 }]);
});

test('duplicate keys: last value wins, with a warning that names the line', () => {
  const [chunk] = splitDocuments('kind: Pod\nmetadata:\n  name: a\n  name: b\n');
  const parsed = parseDocument(chunk!);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, { kind: 'Pod', metadata: { name: 'b' } });
  assert.equal(parsed.warnings.length, 1);
  assert.equal(parsed.warnings[0]!.line, 4);
  assert.match(parsed.warnings[0]!.message, /duplicate mapping key/);
});

test('malformed YAML reports the line in the file', () => {
  const [, chunk] = splitDocuments('a: 1\n---\nkind: Pod\nspec: [unclosed\n');
  const parsed = parseDocument(chunk!);
  assert.equal(parsed.ok, false);
  if (!parsed.ok) {
    assert.ok(parsed.line >= 4, `line ${parsed.line}`);
    assert.match(parsed.message, /invalid YAML/);
  }
});

test('an alias bomb is refused quickly instead of expanded', () => {
  let text = 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i <= 9; i++) text += `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(',')}]\n`;
  const parsed = parseDocument(splitDocuments(text)[0]!);
  assert.equal(parsed.ok, false);
  if (!parsed.ok) assert.match(parsed.message, /alias bomb/);
});

test('modest alias use is fine', () => {
  const v = parseOne('a: &x [1, 2, 3]\nb: [*x, *x, *x]\n');
  assert.deepEqual(v, { a: [1, 2, 3], b: [[1, 2, 3], [1, 2, 3], [1, 2, 3]] });
});

test('deep nesting is an error, not a crash', () => {
  const depth = 20000;
  const parsed = parseDocument(splitDocuments('a: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n')[0]!);
  assert.equal(parsed.ok, false);
});

test('JSON documents parse (JSON is YAML)', () => {
  assert.deepEqual(parseOne('{"apiVersion": "v1", "kind": "Pod", "spec": {"hostPID": true}}'), {
    apiVersion: 'v1', kind: 'Pod', spec: { hostPID: true },
  });
});
