// Running components, read from /proc/<pid>/cmdline (NUL-separated argv). Only the ETCD_*
// variables of a process's environment are kept: the rest may hold credentials.

import { readFileSync, readdirSync } from 'node:fs';
import { identifyComponent } from '../../analysis/flags/components.js';
import { type ComponentName } from '../../inventory/node-facts.js';

export interface ProcessInfo {
  pid: number;
  component: ComponentName;
  argv: string[];
  env: Map<string, string>;
}

function splitNul(text: string): string[] {
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Every process's argv (processes that end or are not ours to read are left out). */
export function listCommandLines(procRoot: string): { pid: number; argv: string[] }[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return [];
  }
  const found: { pid: number; argv: string[] }[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      found.push({ pid: Number(name), argv: splitNul(readFileSync(`${procRoot}/${name}/cmdline`, 'utf8')) });
    } catch {
      continue; // the process ended, or is not ours to read
    }
  }
  return found.sort((a, b) => a.pid - b.pid);
}

export function findComponentProcesses(procRoot: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const { pid, argv } of listCommandLines(procRoot)) {
    const component = identifyComponent(argv);
    if (!component) continue;
    found.push({ pid, component, argv, env: component === 'etcd' ? etcdEnvironment(`${procRoot}/${pid}/environ`) : new Map() });
  }
  return found;
}

function etcdEnvironment(file: string): Map<string, string> {
  const env = new Map<string, string>();
  try {
    for (const entry of splitNul(readFileSync(file, 'utf8'))) {
      const eq = entry.indexOf('=');
      if (eq > 0 && entry.startsWith('ETCD_')) env.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
  } catch {
    // An unreadable environment leaves only the flags; etcd items then read flags alone.
  }
  return env;
}
