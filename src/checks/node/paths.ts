// Where the files of CIS 1.1 and 4.1 are: taken from the running components where they say
// (a flag, the kubelet's staticPodPath), else the kubeadm defaults kube-bench uses.

import type { ComponentName } from '../../inventory/node-facts.js';
import { DEFAULT_MANIFESTS_DIR, instancesOf, type NodeFacts } from '../../inventory/node-facts.js';
import type { FileTarget } from '../templates/file-item.js';
import { observe } from '../templates/setting-item.js';

export const KUBEADM_DEFAULT = 'kubeadm default path';

export function manifestsDir(facts: NodeFacts): FileTarget {
  return facts.staticPodDir ?? { path: DEFAULT_MANIFESTS_DIR, how: KUBEADM_DEFAULT };
}

export function componentManifest(facts: NodeFacts, component: ComponentName): FileTarget {
  const c = instancesOf(facts, component).find((i) => i.origin.kind === 'manifest');
  if (c && c.origin.kind === 'manifest') return { path: c.origin.file, how: `the ${component} static pod manifest read` };
  const dir = manifestsDir(facts);
  return { path: `${dir.path.replace(/\/$/, '')}/${component}.yaml`, how: `${component}.yaml in the static pod folder (${dir.how})` };
}

/** The file a flag of a component names, else a default path. */
export function flagFile(facts: NodeFacts, component: ComponentName, flag: string, fallback: string[]): FileTarget[] {
  const c = instancesOf(facts, component)[0];
  if (c) {
    const obs = observe(c, flag);
    if (obs.set && obs.value) return [{ path: obs.value, how: `${obs.subject} (${obs.how})` }];
  }
  return fallback.map((path) => ({ path, how: c ? `${component} does not set --${flag}; ${KUBEADM_DEFAULT}` : KUBEADM_DEFAULT }));
}
