// Reading YAML as Kubernetes reads it.
//
// Kubernetes decodes manifests with go-yaml v2 semantics (YAML 1.1): `yes`/`no`/`on`/`off`/`y`/`n`
// are booleans, `0644` is octal, `<<` merges, timestamps stay strings. We parse with js-yaml
// (the fastest parser on npm) using a YAML 1.1 scalar schema, and split multi-document
// streams ourselves so each document knows its first line. Exact positions of fields are
// found later, and only for documents that have findings (see positions.ts).

import jsYaml from 'js-yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument as parseYamlAst, type Node as YamlNode } from 'yaml';

const { Type, FAILSAFE_SCHEMA } = jsYaml;
// `types` is exported by js-yaml 4 but missing from its type definitions.
const types = (jsYaml as unknown as { types: Record<'null' | 'float' | 'merge', InstanceType<typeof Type>> }).types;

const TRUE_WORDS = ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
const FALSE_WORDS = ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];
const BOOL_WORDS = new Map<string, boolean>([
  ...TRUE_WORDS.map((w) => [w, true] as [string, boolean]),
  ...FALSE_WORDS.map((w) => [w, false] as [string, boolean]),
]);

const bool11 = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  // Called for every plain scalar: reject on length first, it is cheaper than the lookup.
  resolve: (data: string | null) => data !== null && data.length <= 5 && BOOL_WORDS.has(data),
  construct: (data: string) => BOOL_WORDS.get(data) === true,
  predicate: (v: unknown) => typeof v === 'boolean',
  represent: (v: object) => (v ? 'true' : 'false'),
});

// YAML 1.1 / go-yaml v2 integers: decimal, 0x hex, 0o and leading-0 octal, 0b binary, `_` separators.
const INT_RE = /^[-+]?(?:0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*)$/;
const int11 = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && INT_RE.test(data) && /[0-9]/.test(data),
  construct: (data: string) => {
    let s = data.replace(/_/g, '');
    let sign = 1;
    if (s[0] === '-' || s[0] === '+') {
      if (s[0] === '-') sign = -1;
      s = s.slice(1);
    }
    if (s === '0') return 0;
    if (s.startsWith('0b')) return sign * parseInt(s.slice(2), 2);
    if (s.startsWith('0x')) return sign * parseInt(s.slice(2), 16);
    if (s.startsWith('0o')) return sign * parseInt(s.slice(2), 8);
    if (s[0] === '0') return sign * parseInt(s.slice(1), 8);
    return sign * parseInt(s, 10);
  },
  predicate: (v: unknown) => typeof v === 'number' && Number.isInteger(v),
  represent: (v: object) => String(v),
});

/** The YAML 1.1 schema Kubernetes' decoder effectively uses (no timestamps: they stay strings). */
export const KUBERNETES_YAML_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [types.null, bool11, int11, types.float, types.merge],
});

/** One YAML document of a stream, as text, with its first line in the file. */
export interface DocumentChunk {
  index: number;
  /** 1-based line of the document's first line in the file. */
  line: number;
  /** Offset of the chunk in the file's text. */
  offset: number;
  text: string;
}

const MARKER_RE = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/;

/**
 * Splits a YAML stream at document markers (`---` or `...` at column 0). YAML forbids these
 * markers inside quoted or block scalars at column 0, so a line scan is exact for the
 * streams people write. The marker is blanked (not removed) so columns stay true.
 */
export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let pos = 0;
  const push = (end: number) => {
    const body = text.slice(start, end);
    // Comment-only chunks parse to null and are dropped by the caller, as kubectl does.
    if (body.trim() !== '') chunks.push({ index: chunks.length, line: startLine, offset: start, text: body });
  };
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    const c = text.charCodeAt(pos);
    if ((c === 45 /* - */ || c === 46) /* . */ && MARKER_RE.test(text.slice(pos, pos + 4))) {
      const isEnd = c === 46;
      push(pos);
      // Keep what follows `---` on the same line (`--- {a: 1}`), with the marker blanked.
      start = pos;
      startLine = line;
      if (isEnd) {
        start = end;
        startLine = line + 1;
      }
    }
    if (nl === -1) break;
    pos = end;
    line++;
  }
  push(text.length);
  for (const chunk of chunks) {
    if (MARKER_RE.test(chunk.text)) chunk.text = '   ' + chunk.text.slice(3);
    // Directives are only valid before `---`; they say nothing Kubernetes cares about.
    if (chunk.text.includes('%')) chunk.text = chunk.text.replace(/^%.*$/gm, (m) => ' '.repeat(m.length));
  }
  // A chunk that held only a directive is no document.
  return chunks.filter((c) => c.text.trim() !== '').map((c, index) => ({ ...c, index }));
}

/** Line of the first line with content (not blank, not a comment) — where messages about the whole document point. */
export function firstContentLine(chunk: DocumentChunk): number {
  const text = chunk.text;
  let pos = 0;
  for (let line = chunk.line; pos < text.length; line++) {
    const nl = text.indexOf('\n', pos);
    const content = text.slice(pos, nl === -1 ? text.length : nl).trimStart();
    if (content !== '' && content[0] !== '#') return line;
    if (nl === -1) break;
    pos = nl + 1;
  }
  return chunk.line;
}

/** Hard bound on what aliases may expand to: past this, the document is an alias bomb. */
const MAX_EXPANDED_NODES = 1_000_000;

export type ParsedDocument =
  | {
      ok: true;
      value: unknown;
      warnings: { line: number; column: number; message: string }[];
      /** Every key written twice, with its path in the document (only when there is one). */
      duplicateKeys?: { path: (string | number)[]; line: number; column: number }[];
    }
  | { ok: false; line: number; column: number; message: string };

/** Parses one document chunk; lines in the result are lines of the whole file. */
export function parseDocument(chunk: DocumentChunk): ParsedDocument {
  const warnings: { line: number; column: number; message: string }[] = [];
  let value: unknown;
  let duplicateKeys: { path: (string | number)[]; line: number; column: number }[] | undefined;
  try {
    value = jsYaml.load(chunk.text, { schema: KUBERNETES_YAML_SCHEMA });
  } catch (err) {
    const dup = duplicateKey(err);
    if (!dup) return parseFailure(err, chunk);
    // Kubernetes rejects duplicate fields in strict mode and keeps the last one otherwise.
    // Report it and read the document as the lenient decoder would.
    warnings.push({ line: chunk.line + dup.line, column: dup.column + 1, message: dup.message });
    try {
      value = jsYaml.load(chunk.text, { schema: KUBERNETES_YAML_SCHEMA, json: true });
    } catch (err2) {
      return parseFailure(err2, chunk);
    }
    duplicateKeys = duplicateKeyPaths(chunk);
  }
  // Every alias is written with a `*` and refers to an anchor written with a `&`, whatever the
  // anchor's name: without both characters the document has no alias. With both, the parsed
  // value is measured: an alias is a second reference to an already parsed node, and the walk
  // counts every reference, so the bound holds however the anchors are spelt.
  const text = chunk.text;
  if (text.includes('*') && text.includes('&')) {
    const size = expandedSize(value, new Map(), MAX_EXPANDED_NODES);
    if (size > MAX_EXPANDED_NODES) {
      return {
        ok: false,
        line: chunk.line,
        column: 1,
        message: `YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes (an alias bomb?); document not read`,
      };
    }
  }
  return { ok: true, value, warnings, ...(duplicateKeys?.length ? { duplicateKeys } : {}) };
}

/**
 * Every key a mapping of the document repeats, with its field path and the line of the repeat.
 * js-yaml stops at the first duplicate without a path; the config decoders need each field
 * (a strict decoder refuses the file for any of them). Run only when js-yaml found one; the
 * walk does not follow aliases, so it stays linear in the text.
 */
function duplicateKeyPaths(chunk: DocumentChunk): { path: (string | number)[]; line: number; column: number }[] {
  const lineCounter = new LineCounter();
  const doc = parseYamlAst(chunk.text, { lineCounter, uniqueKeys: false, version: '1.1' });
  const out: { path: (string | number)[]; line: number; column: number }[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          const at = lineCounter.linePos((pair.key as YamlNode | null)?.range?.[0] ?? 0);
          out.push({ path: [...path, key], line: chunk.line + at.line - 1, column: at.col });
        }
        seen.add(key);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return out;
}

function duplicateKey(err: unknown): { line: number; column: number; message: string } | undefined {
  if (!(err instanceof jsYaml.YAMLException)) return undefined;
  if (!/duplicated mapping key/.test(err.reason ?? '')) return undefined;
  return {
    line: err.mark?.line ?? 0,
    column: err.mark?.column ?? 0,
    message: 'duplicate mapping key: the last value wins (kubectl --validate=strict rejects this)',
  };
}

function parseFailure(err: unknown, chunk: DocumentChunk): ParsedDocument {
  if (err instanceof jsYaml.YAMLException) {
    return {
      ok: false,
      line: chunk.line + (err.mark?.line ?? 0),
      column: (err.mark?.column ?? 0) + 1,
      message: `invalid YAML: ${err.reason ?? err.message}`,
    };
  }
  if (err instanceof RangeError) {
    return { ok: false, line: chunk.line, column: 1, message: 'YAML nested too deeply to read' };
  }
  return { ok: false, line: chunk.line, column: 1, message: `could not read YAML: ${(err as Error)?.message ?? String(err)}` };
}

/**
 * Number of nodes the value would have with every alias expanded. Shared subtrees are
 * counted once per reference, memoised by identity, so this is linear in the parsed size.
 */
function expandedSize(value: unknown, memo: Map<object, number>, limit: number): number {
  if (typeof value !== 'object' || value === null) return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  memo.set(value, limit + 1); // a cycle counts as unbounded
  let total = 1;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    total += expandedSize(child, memo, limit);
    if (total > limit) break;
  }
  memo.set(value, total);
  return total;
}
