// The kube-apiserver of a static Pod manifest (kubeadm's /etc/kubernetes/manifests/kube-apiserver.yaml)
// and its flags, for scans of manifests.
//
// Flags are read by the components' shared parser (analysis/flags): every flag form, the last
// occurrence wins, repeated list flags append as pflag does.

import type { ContainerRef, PodTarget } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { flagValues, parseComponentCommandLine } from '../flags/components.js';

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

/** The effective flags of `kube-apiserver ARGS...` (argv without the program name). */
export function parseFlags(argv: readonly string[]): Map<string, string> {
  return flagValues(parseComponentCommandLine(['kube-apiserver', ...argv]));
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
