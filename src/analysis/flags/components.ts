// The components a node audit reads, how to recognise them from a command line, and what
// kind of value each flag the CIS items read holds.

import { parseCommandLine } from './cmdline.js';
import { parseKeyBoolMap, splitList } from './values.js';
import { COMPONENTS, type ComponentName, type FlagOccurrence, type ParsedCommandLine } from '../../inventory/node-facts.js';


export function isComponentName(name: string): name is ComponentName {
  return (COMPONENTS as readonly string[]).includes(name);
}

/**
 * The component a command line runs, from the program name (argv[0], any directory, as
 * `/usr/local/bin/kube-apiserver` or a static pod's `kube-apiserver`). The old all-in-one
 * `hyperkube` binary takes the component as its first argument.
 */
export function identifyComponent(argv: readonly string[]): ComponentName | undefined {
  const base = (argv[0] ?? '').split('/').pop() ?? '';
  if (isComponentName(base)) return base;
  if (base === 'hyperkube') {
    const sub = argv[1] ?? '';
    if (isComponentName(sub)) return sub;
  }
  return undefined;
}

/**
 * Boolean flags of the components (they never take the next token as a value). Only the
 * flags that matter for parsing a command line the CIS items read.
 */
const BOOLEAN_FLAGS = new Set([
  'anonymous-auth', 'profiling', 'service-account-lookup', 'service-account-extend-token-expiration',
  'use-service-account-credentials', 'allow-privileged', 'enable-bootstrap-token-auth', 'leader-elect',
  'allocate-node-cidrs', 'enable-aggregator-routing', 'authentication-token-webhook', 'make-iptables-util-chains',
  'rotate-certificates', 'rotate-server-certificates', 'seccomp-default', 'fail-swap-on', 'protect-kernel-defaults',
  'client-cert-auth', 'auto-tls', 'peer-client-cert-auth', 'peer-auto-tls', 'experimental-initial-corrupt-check',
  'strict-reconfig-check', 'enable-v2', 'enable-pprof', 'logtostderr', 'alsologtostderr', 'contention-profiling',
  'enable-priority-and-fairness', 'enable-logs-handler', 'enable-garbage-collector', 'help', 'version',
]);

/** Flags that pflag reads as a StringSlice: every occurrence appends to the list. */
const LIST_FLAGS = new Set([
  'enable-admission-plugins', 'disable-admission-plugins', 'authorization-mode', 'tls-cipher-suites',
  'admission-control', 'controllers', 'api-audiences',
]);

/** Flags that pflag reads as a map (`--feature-gates=A=true,B=false`): occurrences merge, the later key wins. */
const MAP_FLAGS = new Set(['feature-gates']);

export function parseComponentCommandLine(argv: readonly string[]): ParsedCommandLine {
  return parseCommandLine(argv, BOOLEAN_FLAGS);
}

/** What a command line says about one flag. */
export interface FlagReading {
  set: boolean;
  /** The effective text: the last occurrence (a bare flag reads `true`); lists and maps joined with commas. */
  value?: string;
  /** For list flags every entry of every occurrence; for others the value split on commas. */
  list: string[];
  /** The occurrence that decided the value (the last one). */
  last?: FlagOccurrence;
  occurrences: FlagOccurrence[];
}

export function readFlag(cmd: ParsedCommandLine, name: string): FlagReading {
  const occurrences = cmd.flags.get(name) ?? [];
  const last = occurrences[occurrences.length - 1];
  if (!last) return { set: false, list: [], occurrences };
  if (LIST_FLAGS.has(name)) {
    const list = occurrences.flatMap((o) => splitList(o.value ?? ''));
    return { set: true, value: list.join(','), list, last, occurrences };
  }
  if (MAP_FLAGS.has(name)) {
    const merged = new Map<string, string>();
    for (const o of occurrences) for (const [k, v] of parseKeyBoolMap(o.value ?? '')) merged.set(k, v);
    const list = [...merged].map(([k, v]) => `${k}=${v}`);
    return { set: true, value: list.join(','), list, last, occurrences };
  }
  const value = last.value ?? 'true';
  return { set: true, value, list: splitList(value), last, occurrences };
}

/**
 * Every flag of a command line with its effective text, as readFlag gives it (the last
 * occurrence; list flags append across occurrences; a bare flag reads `true`).
 */
export function flagValues(cmd: ParsedCommandLine): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of cmd.flags.keys()) values.set(name, readFlag(cmd, name).value ?? '');
  return values;
}
