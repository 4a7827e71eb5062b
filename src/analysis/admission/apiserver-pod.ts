// The kube-apiserver of a static Pod manifest (kubeadm's /etc/kubernetes/manifests/kube-apiserver.yaml)
// and its flags, for scans of manifests.
//
// A deliberately small flag reader: `--flag=value`, `--flag value`, a bare `--flag` (true), the
// last occurrence wins. It should be replaced by the shared control-plane flag parser
// (src/analysis/flags/) when that lands, so that node and manifest scans read flags one way.

import type { ContainerRef, PodTarget } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';

export interface ApiServerContainer {
  pod: PodTarget;
  container: ContainerRef;
  flags: Map<string, string>;
}

/** The containers of the inventory's pods that run kube-apiserver. */
export function apiServerContainers(pods: readonly PodTarget[]): ApiServerContainer[] {
  const out: ApiServerContainer[] = [];
  for (const pod of pods) {
    for (const c of containersOf(pod)) {
      const argv = apiServerArgv(c.container);
      if (argv) out.push({ pod, container: c, flags: parseFlags(argv) });
    }
  }
  return out;
}

/** The arguments after the binary, when this container runs kube-apiserver. */
function apiServerArgv(container: Record<string, unknown>): string[] | undefined {
  const command = strings(container.command);
  const args = strings(container.args);
  if (command.length && basename(command[0]!) === 'kube-apiserver') return [...command.slice(1), ...args];
  const image = typeof container.image === 'string' ? container.image : '';
  // An image whose entrypoint is kube-apiserver, run with flags only.
  if (!command.length && /(^|\/)kube-apiserver(-[a-z0-9]+)?([:@]|$)/.test(image)) return args;
  return undefined;
}

export function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) continue;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq !== -1) {
      flags.set(body.slice(0, eq), body.slice(eq + 1));
    } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) {
      // kube-apiserver takes no positional arguments, so a following word is this flag's value.
      flags.set(body, argv[++i]!);
    } else {
      flags.set(body, 'true');
    }
  }
  return flags;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
