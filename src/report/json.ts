// The JSON report: the Result itself. `renderJson` makes it one string; `jsonPieces` yields the
// same bytes in pieces (one per finding), so a large result is written out without ever being
// one string as large as the report (130 MB for 126,000 findings).

import type { Result } from '../result/result.js';

export function renderJson(result: Result): string {
  return JSON.stringify(result, null, 2) + '\n';
}

/** The text of `renderJson(result)`, piece by piece: each top-level member, and each finding on its own. */
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
    if (key === 'findings' && Array.isArray(value) && value.length > 0) yield* arrayPieces(value, '  ');
    else yield indented(value, '  ');
  }
  yield '\n}\n';
}

/** An array's elements as `JSON.stringify(array, null, 2)` would write them at this indent, one piece each. */
function* arrayPieces(items: unknown[], indent: string): Generator<string> {
  const inner = indent + '  ';
  for (let i = 0; i < items.length; i++) {
    // JSON.stringify writes a member it cannot represent (undefined, a function) as null in an array.
    const item = items[i];
    const text = item === undefined || typeof item === 'function' ? 'null' : indented(item, inner);
    yield `${i === 0 ? '[' : ','}\n${inner}${text}`;
  }
  yield `\n${indent}]`;
}

/** JSON.stringify(value, null, 2), its lines after the first indented by `indent` (JSON strings hold no raw newline). */
function indented(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2);
  return text.includes('\n') ? text.replace(/\n/g, '\n' + indent) : text;
}
