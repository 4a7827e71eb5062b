// Value syntax of the Go programs we audit: booleans as strconv.ParseBool reads them,
// durations as time.ParseDuration reads them, comma lists as pflag's StringSlice reads them.

/** strconv.ParseBool: 1, t, T, TRUE, true, True / 0, f, F, FALSE, false, False. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** time.ParseDuration, in seconds: `0`, `5m`, `4h0m0s`, `1.5h`, `-3s`. undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m) return undefined;
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += parseFloat(part[1] as string) * (DURATION_UNITS[part[2] as string] as number);
  }
  return m[1] === '-' ? -total : total;
}

/** A decimal integer as Go's strconv.Atoi / ParseInt(s, 10) accepts it. */
export function parseGoInt(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text.trim()) ? parseInt(text.trim(), 10) : undefined;
}

/** pflag StringSlice: comma separated (CSV), empty string means an empty list. */
export function splitList(text: string): string[] {
  if (text.trim() === '') return [];
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** `A=true,B=false` (the --feature-gates syntax) as a map; malformed entries are dropped. */
export function parseKeyBoolMap(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of splitList(text)) {
    const eq = entry.indexOf('=');
    if (eq > 0) out.set(entry.slice(0, eq).trim(), entry.slice(eq + 1).trim());
  }
  return out;
}
