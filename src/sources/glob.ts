// --exclude globs, matched without regular expressions. picomatch (the usual choice) compiles
// a glob to a backtracking regular expression: `*a*a*a*a*a*a*b` against an 80-character file
// name took 28 s here, and file names come from the repository being scanned. This matcher
// takes time bounded by (pattern length × path length), whatever the pattern.
//
// Syntax: `*` any run of characters within a path segment, `?` one character, `[abc]`,
// `[a-z]`, `[!x]` one character of (not of) a set, `\x` the character x, `**` as a whole
// segment any number of segments (none included), `{a,b}` either (expanded up front, at most
// 64 alternatives). A pattern without `/` matches the last segment (a name anywhere), as in
// .gitignore. Dot files are matched like any other.

type Token = { t: 'star' } | { t: 'one' } | { t: 'lit'; c: string } | { t: 'set'; negate: boolean; ranges: [string, string][] };
type Segment = { t: 'globstar' } | { t: 'seg'; tokens: Token[] };

const MAX_ALTERNATIVES = 64;

export function compileGlob(glob: string): (path: string) => boolean {
  const trimmed = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  const basename = !trimmed.includes('/');
  const alternatives = expandBraces(trimmed).map((g) => g.split('/').map(parseSegment));
  return (path: string) => {
    const parts = path.replace(/^\.\//, '').split('/').filter((p) => p !== '');
    const target = basename ? parts.slice(-1) : parts;
    return alternatives.some((segments) => matchSegments(segments, target));
  };
}

function expandBraces(glob: string): string[] {
  const open = findUnescaped(glob, '{', 0);
  if (open === -1) return [glob];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      close = i;
      break;
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close === -1 || commas.length === 0) return [glob]; // not a brace list: literal
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    for (const rest of expandBraces(head + glob.slice((bounds[i] as number) + 1, bounds[i + 1]) + tail)) {
      out.push(rest);
      if (out.length > MAX_ALTERNATIVES) throw new Error(`glob ${glob} expands to more than ${MAX_ALTERNATIVES} alternatives`);
    }
  }
  return out;
}

function findUnescaped(s: string, ch: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ch) return i;
  }
  return -1;
}

function parseSegment(text: string): Segment {
  if (text === '**') return { t: 'globstar' };
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) tokens.push({ t: 'lit', c: text[++i] as string });
    else if (c === '*') {
      if (tokens[tokens.length - 1]?.t !== 'star') tokens.push({ t: 'star' }); // ** inside a segment is *
    } else if (c === '?') tokens.push({ t: 'one' });
    else if (c === '[') {
      const end = text.indexOf(']', i + 2);
      if (end === -1) {
        tokens.push({ t: 'lit', c });
        continue;
      }
      let body = text.slice(i + 1, end);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      const ranges: [string, string][] = [];
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          ranges.push([body[j] as string, body[j + 2] as string]);
          j += 2;
        } else ranges.push([body[j] as string, body[j] as string]);
      }
      tokens.push({ t: 'set', negate, ranges });
      i = end;
    } else tokens.push({ t: 'lit', c });
  }
  return { t: 'seg', tokens };
}

function matchChar(token: Token, c: string): boolean {
  if (token.t === 'one') return true;
  if (token.t === 'lit') return token.c === c;
  if (token.t === 'set') return token.ranges.some(([lo, hi]) => c >= lo && c <= hi) !== token.negate;
  return false;
}

/** Wildcard match of one segment: greedy, backing up only to the last `*`, so O(pattern × text). */
function matchSegment(tokens: Token[], s: string): boolean {
  let ti = 0;
  let si = 0;
  let starTi = -1;
  let starSi = 0;
  while (si < s.length) {
    const token = tokens[ti];
    if (token && token.t === 'star') {
      starTi = ti++;
      starSi = si;
    } else if (token && matchChar(token, s[si] as string)) {
      ti++;
      si++;
    } else if (starTi >= 0) {
      ti = starTi + 1;
      si = ++starSi;
    } else return false;
  }
  while (tokens[ti]?.t === 'star') ti++;
  return ti === tokens.length;
}

/** Segments against path parts, `**` spanning any number of parts: dynamic programming, no backtracking. */
function matchSegments(segments: Segment[], parts: string[]): boolean {
  // can[j]: the segments so far can consume exactly parts[0..j).
  let can = new Array<boolean>(parts.length + 1).fill(false);
  can[0] = true;
  for (const seg of segments) {
    const next = new Array<boolean>(parts.length + 1).fill(false);
    if (seg.t === 'globstar') {
      let reachable = false;
      for (let j = 0; j <= parts.length; j++) {
        reachable ||= can[j] as boolean;
        next[j] = reachable;
      }
    } else {
      for (let j = 0; j < parts.length; j++) if (can[j] && matchSegment(seg.tokens, parts[j] as string)) next[j + 1] = true;
    }
    can = next;
  }
  return can[parts.length] as boolean;
}
