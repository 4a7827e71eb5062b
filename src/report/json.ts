// The JSON report: the Result itself. `renderJson` makes it one string; `jsonPieces` yields the
// same bytes in pieces (a hundred findings each), so a large result is written out without ever being
// one string as large as the report (130 MB for 126,000 findings).

import type { Result } from '../result/result.js';

export function renderJson(result: Result): string {
  return JSON.stringify(result, null, 2) + '\n';
}

/** The text of `renderJson(result)`, piece by piece: each top-level member, and the findings a hundred at a time. */
export function* jsonPieces(result: Result): Generator<string> {
  const members = Object.entries(result).filter(([, value]) => value !== undefined && typeof value !== 'function');
  if (members.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, value] of members) {
    yield `${first ? '' : ','}\n  ${JSON.stringify(key)}: `;
    first = false;
    if (key === 'findings' && Array.isArray(value) && value.length > 0) yield* arrayPieces(value);
    else yield indented(value, '  ');
  }
  yield '\n}\n';
}

/**
 * Findings per piece: about 100 KB of text. V8 puts strings larger than 128 KiB straight into
 * the old generation, where they pile up until a full collection; smaller ones die young and
 * cheaply.
 */
const FINDINGS_PER_PIECE = 100;

/**
 * An array's elements as `JSON.stringify(array, null, 2)` writes them as a top-level member, a
 * slice of them per piece. Each slice is stringified as the member of a stand-in object, which
 * gives it the very indentation it has in the report; the stand-in's own text is cut off.
 */
function* arrayPieces(items: unknown[]): Generator<string> {
  const open = '{\n  "a": [\n';
  const close = '\n  ]\n}';
  for (let i = 0; i < items.length; i += FINDINGS_PER_PIECE) {
    const text = JSON.stringify({ a: items.slice(i, i + FINDINGS_PER_PIECE) }, null, 2);
    yield (i === 0 ? '[\n' : ',\n') + text.slice(open.length, text.length - close.length);
  }
  yield '\n  ]';
}

/** JSON.stringify(value, null, 2), its lines after the first indented by `indent` (JSON strings hold no raw newline). */
function indented(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2);
  return text.includes('\n') ? text.replace(/\n/g, '\n' + indent) : text;
}
