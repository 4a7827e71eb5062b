// The kube-apiserver of a static Pod manifest (kubeadm's /etc/kubernetes/manifests/kube-apiserver.yaml)
// and its flags, for scans of manifests.
//
// Flags are read by the components' shared parser (analysis/flags): every flag form, the last
// occurrence wins, repeated list flags append as pflag does.

import type { ContainerRef, PodTarget } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { componentFromPod } from '../flags/static-pods.js';
import { flagValues, parseComponentCommandLine } from '../flags/components.js';

export interface ApiServerContainer {
  pod: PodTarget;
  container: ContainerRef;
  flags: Map<string, string>;
}

/**
 * The containers of the inventory's pods that run kube-apiserver, recognised as the node
 * audit recognises control-plane static pods (command, entrypoint image or `component` label).
 */
export function apiServerContainers(pods: readonly PodTarget[]): ApiServerContainer[] {
  const out: ApiServerContainer[] = [];
  for (const pod of pods) {
    const found = componentFromPod(pod);
    if (found?.component !== 'kube-apiserver' || found.origin.kind !== 'manifest') continue;
    const at = found.origin.containerPath;
    const container = containersOf(pod).find((c) => c.path.length === at.length && c.path.every((seg, i) => seg === at[i]));
    if (container) out.push({ pod, container, flags: flagValues(found.cmd) });
  }
  return out;
}

/** The effective flags of `kube-apiserver ARGS...` (argv without the program name). */
export function parseFlags(argv: readonly string[]): Map<string, string> {
  return flagValues(parseComponentCommandLine(['kube-apiserver', ...argv]));
}
