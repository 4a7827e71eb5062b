// A fast line locator for block-style YAML, the way nearly every manifest is written.
//
// Building a positioned syntax tree (positions.ts, with the `yaml` package) for every
// document with a finding costs about half of a scan. Most manifests are plain block YAML,
// where a field's line can be found from indentation alone. This module walks the lines of
// a document along a path, guided by the already-parsed value (so it only ever looks for
// keys and items that exist). Whenever the text is not plain block style along the path —
// flow collections, merge keys, complex keys, anything unexpected — it gives up and
// returns undefined, and the caller falls back to the exact parser. Tests compare the two
// on real-world manifests.

import type { PathSegment } from './model.js';
import { isMapping } from './model.js';

/**
 * The content lines of a document (blank and comment-only lines left out), as offsets into its
 * text: a line's content is cut out only when the walk looks at it (a line at the indent of the
 * key it looks for), so locating a few fields of a large document allocates a few strings, not
 * one per line (measured: the per-line strings were most of the memory a large scan's
 * positions took).
 */
export interface ContentLines {
  text: string;
  /** 0-based line number inside the document text, per content line. */
  index: number[];
  indent: number[];
  /** Offsets of the content (after the indent) and of the line's end (before `\n`). */
  start: number[];
  end: number[];
}

interface Line {
  index: number;
  indent: number;
  content: string;
}

/** Content lines of a document (blank and comment-only lines dropped). */
export function contentLines(text: string): ContentLines {
  const lines: ContentLines = { text, index: [], indent: [], start: [], end: [] };
  let pos = 0;
  for (let index = 0; pos <= text.length; index++) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl === -1 ? text.length : nl;
    let at = pos;
    while (text.charCodeAt(at) === 32 && at < lineEnd) at++;
    // The content's end without trailing white space, as trimEnd() would cut it.
    let end = lineEnd;
    while (end > at && isWhiteSpace(text.charCodeAt(end - 1))) end--;
    if (end > at && text.charCodeAt(at) !== 35 /* # */) {
      lines.index.push(index);
      lines.indent.push(at - pos);
      lines.start.push(at);
      lines.end.push(end);
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  return lines;
}

/** What String.prototype.trimEnd removes, for the characters a YAML line ends with. */
function isWhiteSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** One content line, its text cut out now. */
function lineAt(lines: ContentLines, i: number): Line {
  return { index: lines.index[i] as number, indent: lines.indent[i] as number, content: lines.text.slice(lines.start[i], lines.end[i]) };
}

/** Whether a content line starts a sequence item (`- …` or a lone `-`), without cutting it out. */
function isItemLine(lines: ContentLines, i: number): boolean {
  const at = lines.start[i] as number;
  if (lines.text.charCodeAt(at) !== 45 /* - */) return false;
  return at + 1 === lines.end[i] || lines.text.charCodeAt(at + 1) === 32;
}

export interface FastPosition {
  /** 0-based line inside the document text, and 1-based column. */
  line: number;
  column: number;
  /** How many path segments were found (the rest are absent in the parsed value). */
  found: number;
}

/**
 * Finds the line of `path` in a block-style document. `value` is the parsed document.
 * Returns undefined when the text is not simple enough to be sure.
 */
export function locateInBlockYaml(lines: ContentLines, value: unknown, path: readonly PathSegment[]): FastPosition | undefined {
  // The current node's lines: [start, end) in `lines`; the first line may start mid-line
  // (after "- "), given by firstIndent/firstContent.
  let start = 0;
  let end = lines.index.length;
  let firstIndent = lines.indent[0] ?? 0;
  let firstContent = end > 0 ? lineAt(lines, 0).content : '';
  let best: FastPosition | undefined = end > 0 ? { line: lines.index[0] as number, column: firstIndent + 1, found: 0 } : undefined;
  let current = value;

  for (let depth = 0; depth < path.length; depth++) {
    const seg = path[depth] as PathSegment;
    if (start >= end) return undefined;
    if (typeof seg === 'string') {
      if (!isMapping(current) || !(seg in current)) return best; // absent: the parent is the best place
      if (isFlowOrSpecial(firstContent) || firstContent.startsWith('- ') || firstContent === '-') return undefined;
      const childIndent = firstIndent;
      let match = -1;
      let matchRest = '';
      for (let i = start; i < end; i++) {
        const indent = i === start ? firstIndent : (lines.indent[i] as number);
        if (indent < childIndent) break;
        if (indent !== childIndent) continue;
        const content = i === start ? firstContent : lineAt(lines, i).content;
        const key = parseKey(content);
        if (key === undefined) {
          // A line at key level that is not `key: …` (a complex key, a merge we cannot follow).
          if (content.startsWith('- ') || content === '-') continue; // a sequence value at the key's indent
          return undefined;
        }
        if (key.name === '<<') return undefined; // merged keys: leave it to the exact parser
        if (key.name === seg) {
          match = i; // the last duplicate wins, as the decoder keeps it
          matchRest = key.rest;
        }
      }
      if (match === -1) return undefined; // the parsed value has it but the text does not show it simply
      best = { line: lines.index[match] as number, column: childIndent + 1, found: depth + 1 };
      current = current[seg];
      if (depth === path.length - 1) return best;
      // Descend into the value: it must continue on the following, deeper lines.
      if (matchRest !== '' && !/^(?:&\S+|!\S+)(?:\s+(?:&\S+|!\S+))*$/.test(matchRest)) return undefined;
      let valueEnd = match + 1;
      while (valueEnd < end) {
        const indent = lines.indent[valueEnd] as number;
        if (indent < childIndent || (indent === childIndent && !isItemLine(lines, valueEnd))) break;
        valueEnd++;
      }
      start = match + 1;
      end = valueEnd;
      if (start >= end) return undefined;
      firstIndent = lines.indent[start] as number;
      firstContent = lineAt(lines, start).content;
    } else {
      if (!Array.isArray(current) || seg >= current.length) return best;
      if (!(firstContent.startsWith('- ') || firstContent === '-')) return undefined;
      const itemIndent = firstIndent;
      let count = -1;
      let itemStart = -1;
      let itemEnd = end;
      for (let i = start; i < end; i++) {
        const indent = i === start ? firstIndent : (lines.indent[i] as number);
        if (indent < itemIndent) {
          itemEnd = i;
          break;
        }
        if (indent === itemIndent) {
          const item = i === start ? firstContent.startsWith('- ') || firstContent === '-' : isItemLine(lines, i);
          if (!item) {
            itemEnd = i;
            break;
          }
          count++;
          if (count === seg) itemStart = i;
          else if (count === seg + 1) {
            itemEnd = i;
            break;
          }
        }
      }
      if (itemStart === -1) return undefined;
      const itemLine = lineAt(lines, itemStart);
      const itemContent = itemStart === start ? firstContent : itemLine.content;
      current = current[seg];
      // The item's own content starts after "- " on the same line, or on the next line;
      // like the exact parser, point at where the item's value starts.
      const afterDash = itemContent.slice(1);
      const spaces = afterDash.length - afterDash.trimStart().length;
      const afterSpaces = afterDash.trimStart();
      const rest = afterSpaces.startsWith('#') ? '' : afterSpaces; // `- # comment`: the item starts below
      if (rest === '' || /^(?:&\S+|!\S+)$/.test(rest)) {
        start = itemStart + 1;
        end = itemEnd;
        if (start >= end) return undefined;
        firstIndent = lines.indent[start] as number;
        firstContent = lineAt(lines, start).content;
        if (rest !== '') return undefined; // an anchor or tag before the value: the exact parser knows where it starts
        best = { line: lines.index[start] as number, column: firstIndent + 1, found: depth + 1 };
      } else {
        start = itemStart;
        end = itemEnd;
        firstIndent = itemIndent + 1 + spaces;
        firstContent = rest;
        best = { line: itemLine.index, column: firstIndent + 1, found: depth + 1 };
      }
      if (depth === path.length - 1) return best;
    }
  }
  return best;
}

/** Flow collections, aliases, complex keys, block scalars: not walked here. */
function isFlowOrSpecial(content: string): boolean {
  const c = content[0];
  return c === '{' || c === '[' || c === '*' || c === '?' || c === '|' || c === '>' || c === '!' || c === '&';
}

const PLAIN_KEY = /^([^\s"'#{}[\],&*!|>%@`?-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*))?$/;
const DOUBLE_QUOTED_KEY = /^"((?:[^"\\]|\\.)*)"\s*:(?:\s+(.*))?$/;
const SINGLE_QUOTED_KEY = /^'((?:[^']|'')*)'\s*:(?:\s+(.*))?$/;

/** `key: rest` → {name, rest}; undefined when the line is not a simple key line. */
function parseKey(content: string): { name: string; rest: string } | undefined {
  let m = PLAIN_KEY.exec(content);
  if (m) return { name: m[1] as string, rest: stripComment(m[2] ?? '') };
  m = DOUBLE_QUOTED_KEY.exec(content);
  if (m) {
    if ((m[1] as string).includes('\\')) return undefined; // escapes: let the exact parser decide
    return { name: m[1] as string, rest: stripComment(m[2] ?? '') };
  }
  m = SINGLE_QUOTED_KEY.exec(content);
  if (m) return { name: (m[1] as string).replace(/''/g, "'"), rest: stripComment(m[2] ?? '') };
  return undefined;
}

function stripComment(rest: string): string {
  if (rest.startsWith('#')) return '';
  const i = rest.indexOf(' #');
  // Only strip a trailing comment when no quote could contain it.
  return i !== -1 && !/["']/.test(rest) ? rest.slice(0, i).trimEnd() : rest;
}
