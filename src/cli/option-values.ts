// Parsers of option values shared by several commands (commander calls them; a bad value is a usage error).

import { InvalidArgumentError } from 'commander';

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new InvalidArgumentError('a number of seconds between 0 and 600');
  return n;
}

export function parseDays(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 3650) throw new InvalidArgumentError('a whole number of days between 0 and 3650');
  return n;
}

export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('a duration like 90s, 30m, 24h or 2d');
  const ms = Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  if (ms < 1000) throw new InvalidArgumentError('at least one second');
  return ms;
}
