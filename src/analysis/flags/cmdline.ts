// Command-line parsing the way pflag (Kubernetes components) and Go's flag package (etcd)
// read it: `--a=b`, `--a b`, `-a=b` (one dash is a long name for etcd's Go flags), a bare
// boolean flag meaning true, repeats kept in order, and `--` ending the flags.

import type { FlagOccurrence, ParsedCommandLine } from '../../inventory/node-facts.js';

/**
 * Parses argv (argv[0] is the program). A flag in `booleanFlags` never takes the next token
 * as its value — pflag and Go's flag package only accept `--flag=false` for booleans — so
 * `--profiling false` means profiling on and a stray positional `false`.
 */
export function parseCommandLine(argv: readonly string[], booleanFlags: ReadonlySet<string>): ParsedCommandLine {
  const flags = new Map<string, FlagOccurrence[]>();
  const positionals: ParsedCommandLine['positionals'] = [];
  const add = (name: string, occ: FlagOccurrence) => {
    let list = flags.get(name);
    if (!list) flags.set(name, (list = []));
    list.push(occ);
  };
  let i = 1;
  for (; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      i++;
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push({ value: token, index: i });
      continue;
    }
    const body = token.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq !== -1) {
      add(body.slice(0, eq), { value: body.slice(eq + 1), index: i });
      continue;
    }
    const next = argv[i + 1];
    if (!booleanFlags.has(body) && next !== undefined && !next.startsWith('-')) {
      add(body, { value: next, index: i, valueIndex: i + 1 });
      i++;
    } else {
      add(body, { value: undefined, index: i });
    }
  }
  for (; i < argv.length; i++) positionals.push({ value: argv[i] as string, index: i });
  return { argv: [...argv], flags, positionals };
}
