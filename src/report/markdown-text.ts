// Putting untrusted text (object names, messages, file names, reasons) into GitHub Flavored
// Markdown so that it reads as the same text and nothing else: no table broken by a `|` or a
// newline, no HTML, no emphasis, no link, no @mention. Two forms:
// - mdText: prose, backslash-escaped where Markdown would read markup;
// - mdCode: an identifier in a code span, where nothing but the span's own fence and a table's
//   `|` has meaning.
// GitHub renders with cmark-gfm and then turns @names, #numbers and bare URLs into links and
// notifications; a backslash does not stop that, so those go into code spans.

/**
 * Characters Markdown would read as markup anywhere in a line (emphasis, code, links, HTML,
 * tables, strikethrough, math). A `_` between two letters or digits is left alone: it can
 * neither open nor close emphasis there (CommonMark's flanking rules), and NET_BIND_SERVICE
 * reads better than NET\_BIND\_SERVICE in plain text.
 */
const MARKUP = /[\\`*[\]<>|~$]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** `&` only matters where it would start a character reference (`&lt;`, `&#64;`). */
const CHARACTER_REFERENCE = /&(?=#?[0-9a-z]+;)/gi;
const LINE_BREAK = /\r\n|\r|\n/g;
/**
 * Control characters (an ANSI escape would repaint the terminal of someone reading the plain
 * text) and bidirectional overrides (they reorder what is displayed).
 */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** What GitHub links after rendering: URLs, www. hosts, e-mail addresses, @user and @org/team, #123 and GH-123. */
const GITHUB_REFERENCE =
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s`|<>]+|\bwww\.[^\s`|<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w`])@[a-z0-9][\w-]*(?:\/[\w.-]+)?|(?<![\w&])#\d+\b|\bGH-\d+\b/gi;

export interface MdContext {
  /** Inside a table cell: a `|` must be escaped even in a code span, and a line break is `<br>`. */
  inTable?: boolean;
}

/**
 * No GitHub reference spans whitespace, `|`, `<` or `>`, so the text is taken a run of other
 * characters at a time; GITHUB_REFERENCE starts its match anywhere in a run and may scan to its
 * end, which is quadratic in the run's length, so it only ever sees short runs.
 */
const RUN = /[^\s|<>]+/g;
const LONGEST_SCANNED_RUN = 256;
/** What every GitHub reference contains; a long run with none of these holds no reference. */
const REFERENCE_HINT = /:\/\/|www\.|@|#\d|GH-\d/i;

/** Prose from the input, as one line of Markdown that renders as exactly that text. Linear in its length. */
export function mdText(value: string, context: MdContext = {}): string {
  const clean = visible(value);
  let out = '';
  let last = 0;
  for (const run of clean.matchAll(RUN)) {
    const text = run[0];
    if (text.length > LONGEST_SCANNED_RUN) {
      // A long unbroken run (a hostile name, a token): if it may hold a reference, all of it
      // goes into one code span, where GitHub links nothing.
      if (REFERENCE_HINT.test(text)) {
        out += escapeProse(clean.slice(last, run.index), context) + mdCode(text, context);
        last = run.index + text.length;
      }
      continue;
    }
    for (const m of text.matchAll(GITHUB_REFERENCE)) {
      // The token holds no backtick, `|` or whitespace (see GITHUB_REFERENCE), so one backtick fences it.
      const start = run.index + m.index;
      out += escapeProse(clean.slice(last, start), context);
      out += '`' + m[0] + '`';
      last = start + m[0].length;
    }
  }
  return out + escapeProse(clean.slice(last), context);
}

/** An identifier from the input (a name, a file, a field path) as a code span; an empty value as an em dash. */
export function mdCode(value: string, context: MdContext = {}): string {
  const clean = visible(value).replace(LINE_BREAK, ' ');
  if (clean === '') return '—';
  let longestRun = 0;
  for (const m of clean.matchAll(/`+/g)) longestRun = Math.max(longestRun, m[0].length);
  const fence = '`'.repeat(longestRun + 1);
  // A span that starts or ends with a backtick needs a space against its fence; CommonMark
  // strips exactly one space from each side when both are there.
  const pad = /^[` ]|[` ]$/.test(clean) && !/^ +$/.test(clean) ? ' ' : '';
  // A table splits its rows at `|` before it reads code spans, so there a `|` is escaped even
  // inside one; cmark-gfm takes the backslash right before a `|` off again, whatever precedes it.
  const body = context.inTable ? clean.replace(/\|/g, '\\|') : clean;
  return `${fence}${pad}${body}${pad}${fence}`;
}

function escapeProse(value: string, context: MdContext): string {
  return value
    .replace(MARKUP, '\\$&')
    .replace(CHARACTER_REFERENCE, '\\&')
    .replace(LINE_BREAK, context.inTable ? '<br>' : ' ');
}

/** Replaces invisible characters by a visible `\xNN` / `\uNNNN` so they can neither act nor hide. */
function visible(value: string): string {
  return value.replace(INVISIBLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
