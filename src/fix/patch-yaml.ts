// Applies JSON-patch fixes to YAML text by editing only the lines that change.
//
// Re-rendering a whole document from a syntax tree would reformat it (real manifests mix
// sequence indentation styles, quoting, flow maps), so a fix would rewrite lines nobody
// asked to change. Instead each operation becomes a text edit: a value is replaced where
// it stands, a new key is inserted as new lines at the indentation of its siblings (or
// into a flow map before its closing brace). The document is parsed again after each edit,
// so every edit sees true positions.

import { Parser, Composer, LineCounter, isMap, isSeq, isScalar, isPair, stringify, type Node, type YAMLMap, type Document } from 'yaml';
import type { PatchOp } from '../result/result.js';
import type { PathSegment } from '../inventory/model.js';

export type PatchOutcome = { ok: true; text: string } | { ok: false; reason: string };

/** Applies ops (paths relative to `base` inside the document) to one document's text. */
export function applyPatch(docText: string, base: readonly PathSegment[], ops: readonly PatchOp[]): PatchOutcome {
  let text = docText;
  for (const op of ops) {
    const path = [...base, ...parsePointer(op.path)];
    const outcome = applyOne(text, path, op);
    if (!outcome.ok) return outcome;
    text = outcome.text;
  }
  return { ok: true, text };
}

function applyOne(text: string, path: PathSegment[], op: PatchOp): PatchOutcome {
  const doc = parse(text);
  if (!doc) return { ok: false, reason: 'the document does not parse' };
  switch (op.op) {
    case 'add':
    case 'replace':
      return setValue(text, doc, path, op.value);
    case 'remove':
      return removeValue(text, doc, path);
  }
}

function parse(text: string): Document.Parsed | undefined {
  const lines = new LineCounter();
  const docs = [...new Composer({ version: '1.1', uniqueKeys: false }).compose(new Parser(lines.addNewLine).parse(text), true)];
  const doc = docs[0];
  return doc && doc.errors.length === 0 ? doc : undefined;
}

/** JSON pointer → path; numeric segments become list indices, `-` means "append". */
export function parsePointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function setValue(text: string, doc: Document.Parsed, path: PathSegment[], value: unknown): PatchOutcome {
  // Walk as far as the path exists.
  let node: unknown = doc.contents;
  let depth = 0;
  for (; depth < path.length; depth++) {
    const next = child(node, path[depth] as PathSegment);
    if (next === undefined) break;
    node = next;
  }
  if (depth === path.length) {
    // The target exists: merge into a mapping, or replace the value in place.
    if (isMap(node) && isPlainObject(value)) {
      let current = text;
      for (const [k, v] of Object.entries(value)) {
        const d = parse(current);
        if (!d) return { ok: false, reason: 'the document does not parse after an edit' };
        const r = setValue(current, d, [...path, k], v);
        if (!r.ok) return r;
        current = r.text;
      }
      return { ok: true, text: current };
    }
    if (isSeq(node) && Array.isArray(value)) {
      // Adding a list where one exists: append the missing items (e.g. drop: [ALL]).
      const have = new Set(node.items.map((i) => (isScalar(i) ? String(i.value) : undefined)));
      let current = text;
      for (const item of value) {
        if (have.has(String(item))) continue;
        const d = parse(current);
        if (!d) return { ok: false, reason: 'the document does not parse after an edit' };
        const r = setValue(current, d, [...path, '-'], item);
        if (!r.ok) return r;
        current = r.text;
      }
      return { ok: true, text: current };
    }
    return replaceNode(text, node as Node, value);
  }
  // Append to a list.
  if (depth === path.length - 1 && path[depth] === '-' && isSeq(node)) return appendToSeq(text, node, value);
  // Create the rest of the path under the deepest mapping that exists.
  if (!isMap(node)) return { ok: false, reason: `cannot add under ${describeNode(node)}` };
  const rest = path.slice(depth);
  if (rest.some((s) => typeof s !== 'string' || s === '-')) return { ok: false, reason: 'the path goes through a list item that does not exist' };
  let nested: unknown = value;
  for (let i = rest.length - 1; i >= 1; i--) nested = { [rest[i] as string]: nested };
  return insertIntoMap(text, node, rest[0] as string, nested);
}

function child(node: unknown, seg: PathSegment): unknown {
  if (isMap(node)) {
    let found: unknown;
    for (const item of node.items) if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(seg)) found = item.value ?? null;
    return found;
  }
  if (isSeq(node) && typeof seg === 'number') return node.items[seg];
  return undefined;
}

function replaceNode(text: string, node: Node | null, value: unknown): PatchOutcome {
  if (!node?.range) return { ok: false, reason: 'the value has no position' };
  if (!isScalar(node) && !isPlainScalarValue(value)) return { ok: false, reason: 'replacing a collection is not supported' };
  const [start, end] = node.range;
  return { ok: true, text: text.slice(0, start) + inlineYaml(value) + text.slice(end) };
}

function insertIntoMap(text: string, map: YAMLMap, key: string, value: unknown): PatchOutcome {
  const range = map.range;
  if (!range) return { ok: false, reason: 'the mapping has no position' };
  if (map.flow) {
    // `{a: 1}` → `{a: 1, key: value}`; the closing brace is the last character of the range.
    const close = text.lastIndexOf('}', range[1]);
    if (close < range[0]) return { ok: false, reason: 'cannot find the end of a flow mapping' };
    const before = text.slice(range[0] + 1, close).trim();
    const entry = `${keyText(key)}: ${inlineYaml(value)}`;
    const insertion = before === '' ? entry : `, ${entry}`;
    const at = before === '' ? close : text.slice(0, close).trimEnd().length;
    return { ok: true, text: text.slice(0, at) + insertion + text.slice(at) };
  }
  const firstKey = map.items.find(isPair)?.key as Node | undefined;
  if (!firstKey?.range) {
    return { ok: false, reason: 'cannot insert into an empty block mapping' };
  }
  const indent = columnOf(text, firstKey.range[0]);
  // Insert after the mapping's last line of content (the range may run past trailing comments).
  const lastPair = map.items[map.items.length - 1];
  const lastEnd = endOfPair(lastPair);
  const lineEnd = text.indexOf('\n', Math.max(lastEnd - 1, 0));
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  const block = renderBlock({ [key]: value }, indent);
  const needsNewline = lineEnd === -1 && !text.endsWith('\n');
  return { ok: true, text: text.slice(0, at) + (needsNewline ? '\n' : '') + block + text.slice(at) };
}

function appendToSeq(text: string, seq: NonNullable<ReturnType<typeof asSeq>>, value: unknown): PatchOutcome {
  const range = seq.range;
  if (!range) return { ok: false, reason: 'the list has no position' };
  if (seq.flow) {
    const close = text.lastIndexOf(']', range[1]);
    const before = text.slice(range[0] + 1, close).trim();
    const at = before === '' ? close : text.slice(0, close).trimEnd().length;
    return { ok: true, text: text.slice(0, at) + (before === '' ? '' : ', ') + inlineYaml(value) + text.slice(at) };
  }
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (!last?.range) return { ok: false, reason: 'cannot append to an empty block list' };
  // The dash of the first item gives the indentation.
  const first = seq.items[0] as Node;
  const dashAt = text.lastIndexOf('-', first.range![0]);
  const indent = columnOf(text, dashAt);
  const lineEnd = text.indexOf('\n', Math.max(last.range[1] - 1, 0));
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  const item = renderBlock([value], indent);
  return { ok: true, text: text.slice(0, at) + (lineEnd === -1 && !text.endsWith('\n') ? '\n' : '') + item + text.slice(at) };
}

function asSeq(n: unknown) {
  return isSeq(n) ? n : undefined;
}

function removeValue(text: string, doc: Document.Parsed, path: PathSegment[]): PatchOutcome {
  const parentPath = path.slice(0, -1);
  let parent: unknown = doc.contents;
  for (const seg of parentPath) parent = child(parent, seg);
  const last = path[path.length - 1];
  if (isMap(parent) && !parent.flow) {
    const pair = [...parent.items].reverse().find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last));
    if (!pair || !(pair.key as Node).range) return { ok: true, text }; // already absent
    const start = text.lastIndexOf('\n', (pair.key as Node).range![0] - 1) + 1;
    const endLine = text.indexOf('\n', Math.max(endOfPair(pair) - 1, 0));
    const end = endLine === -1 ? text.length : endLine + 1;
    if (parent.items.length === 1) return { ok: false, reason: 'removing the only key of a mapping is not supported' };
    return { ok: true, text: text.slice(0, start) + text.slice(end) };
  }
  return { ok: false, reason: 'removing from this kind of node is not supported' };
}

function endOfPair(pair: unknown): number {
  if (!isPair(pair)) return 0;
  const v = pair.value as Node | null;
  const k = pair.key as Node | null;
  return v?.range ? v.range[1] : k?.range ? k.range[1] : 0;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** A value as block YAML, every line indented. */
function renderBlock(value: unknown, indent: number): string {
  const body = stringify(value, { version: '1.1', lineWidth: 0, indentSeq: false });
  const pad = ' '.repeat(indent);
  return body.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === '')).map((l) => pad + l).join('\n') + '\n';
}

/** A value on one line (flow style). */
function inlineYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, collectionStyle: 'flow' }).trimEnd();
}

function keyText(key: string): string {
  return stringify(key, { version: '1.1' }).trimEnd();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPlainScalarValue(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function describeNode(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return 'a scalar';
  return 'this node';
}
