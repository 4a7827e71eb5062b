// A service's command line from its systemd unit, for hosts whose processes we cannot see
// (--root) and for distributions that start the kubelet from their own unit: EKS AL2023
// (`ExecStart=/usr/bin/kubelet $NODEADM_KUBELET_ARGS`, EnvironmentFile=/etc/eks/kubelet/environment),
// EKS AL2 (`--config …` continued over lines, KUBELET_ARGS in 10-kubelet-args.conf), GKE COS and
// AKS (`$KUBELET_OPTS` / `$KUBELET_FLAGS` from /etc/default/kubelet).
//
// systemd's rules followed here (systemd.service(5), systemd.exec(5)): a line ending in `\`
// continues; drop-ins in NAME.service.d/*.conf apply in name order after the unit; an empty
// `ExecStart=` resets the list; an unquoted `$VAR` splits into words, `${VAR}` stays one word;
// `EnvironmentFile=-PATH` may be missing.

import type { Host } from './host.js';

export interface UnitCommand {
  argv: string[];
  /** Unit, drop-ins and environment files read, in order. */
  files: string[];
}

const UNIT_DIRS = ['/etc/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

/** The ExecStart of `name` (e.g. `kubelet.service`), with its variables expanded; undefined when no unit exists. */
export function unitCommand(host: Host, name: string): UnitCommand | undefined {
  const unitFile = UNIT_DIRS.map((d) => `${d}/${name}`).find((p) => host.stat(p).exists);
  const dropIns = UNIT_DIRS.flatMap((d) => {
    const dir = `${d}/${name}.d`;
    return host.stat(dir).exists ? host.list(dir, false).entries.filter((f) => f.endsWith('.conf')) : [];
  }).sort((a, b) => basename(a).localeCompare(basename(b)));
  const files = [...(unitFile ? [unitFile] : []), ...dropIns];
  if (files.length === 0) return undefined;
  const vars = new Map<string, string>();
  let exec: string | undefined;
  const read: string[] = [];
  for (const file of files) {
    const text = host.readText(file);
    if (!text.ok) continue;
    read.push(file);
    for (const line of logicalLines(text.text)) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(line);
      if (!m) continue;
      const [, key, value] = m as unknown as [string, string, string];
      if (key === 'Environment') for (const [k, v] of assignments(value)) vars.set(k, v);
      else if (key === 'EnvironmentFile') {
        const path = value.trim().replace(/^-/, '');
        const env = host.readText(path);
        if (!env.ok) continue;
        read.push(path);
        for (const l of env.text.split('\n')) {
          const t = l.trim();
          // An environment file line is KEY=VALUE with the whole rest of the line as the value.
          const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t);
          if (m) vars.set(m[1] as string, unquote(m[2] as string));
        }
      } else if (key === 'ExecStart') exec = value.trim() === '' ? undefined : value.trim();
    }
  }
  if (!exec) return { argv: [], files: read };
  return { argv: expand(exec.replace(/^[-@:+!]+/, ''), vars), files: read };
}

function unquote(v: string): string {
  return /^"[^"]*"$|^'[^']*'$/.test(v) ? v.slice(1, -1) : v;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Lines with `\` continuations joined; comments dropped. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line.startsWith('#') || line.startsWith(';'))) continue;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    out.push(pending + line);
    pending = '';
  }
  if (pending) out.push(pending);
  return out;
}

/** `A=x "B=y z" 'C=w v'` and `A="x y"`: the assignments of an Environment= line or an environment file line. */
export function assignments(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const word of words(text)) {
    const eq = word.indexOf('=');
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word.slice(0, eq))) out.push([word.slice(0, eq), word.slice(eq + 1)]);
  }
  return out;
}

/** Splits on whitespace outside quotes and removes the quotes (a quote may start mid-word: `A="x y"`). */
function words(text: string): string[] {
  return rawWords(text).map((w) => w.text);
}

/** ExecStart words with `$VAR` split into words and `${VAR}` substituted in place. */
function expand(exec: string, vars: Map<string, string>): string[] {
  const out: string[] = [];
  for (const word of rawWords(exec)) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word.text);
    if (whole && !word.quoted) {
      out.push(...words(vars.get(whole[1] as string) ?? ''));
      continue;
    }
    out.push(word.text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a, b) => vars.get(a ?? b) ?? ''));
  }
  return out.filter((w) => w !== '');
}

function rawWords(text: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  let current = '';
  let quote: string | undefined;
  let quoted = false;
  let inWord = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      quoted = inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push({ text: current, quoted });
      current = '';
      quoted = inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) out.push({ text: current, quoted });
  return out;
}
