// Shapes of policy that the network checks and the generator agree on: what a default-deny is,
// what an allow-all rule is, and stand-in pods for "a pod elsewhere" and "the cluster DNS".

import type { InventoryObject, PathSegment } from '../../inventory/model.js';
import { parseIp, type IpAddress } from './cidr.js';
import type { ContainerPort, NetpolModel, PodInfo } from './model.js';
import type { Direction, NetworkPolicy, Rule } from './policy.js';

export const CLOUD_METADATA_IP = parseIp('169.254.169.254') as IpAddress;
/** The address NodeLocal DNSCache listens on by default; pods using it never talk to kube-dns directly. */
export const NODE_LOCAL_DNS_IP = parseIp('169.254.20.10') as IpAddress;
export const DNS_LABELS = { 'k8s-app': 'kube-dns' } as const;
const DNS_PORTS: ContainerPort[] = [
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53, protocol: 'TCP' },
];

/** A pod that is not in the input, for questions like "can some pod elsewhere reach this?". */
function probePod(namespace: string, labels: Record<string, string> = {}, ports: ContainerPort[] = []): PodInfo {
  return { id: `${namespace}/<any pod>`, namespace, labels, ports, ips: [], hostNetwork: false };
}

/** A pod of a namespace that has no policy and no labels but its name: "any other namespace". */
export function outsiderPod(model: NetpolModel): PodInfo {
  let name = 'kubeharden-any-other-namespace';
  while (model.namespaces.has(name)) name += '-';
  return { ...probePod(name), id: 'a pod of any other namespace' };
}

/** The cluster DNS pods of the input (k8s-app=kube-dns in kube-system), or a stand-in for them. */
export function dnsPods(model: NetpolModel): PodInfo[] {
  const found = model.workloads.filter((w) => w.namespace === 'kube-system' && w.labels['k8s-app'] === DNS_LABELS['k8s-app']);
  return found.length ? found : [{ ...probePod('kube-system', { ...DNS_LABELS }, DNS_PORTS), id: 'kube-system/<cluster DNS>' }];
}

/** A rule that admits every peer on every port. */
export function allowsEverything(rule: Rule): boolean {
  return !rule.ports && (!rule.peers || rule.peers.some((p) => p.kind === 'ipBlock' && p.cidr.prefix === 0 && p.except.length === 0));
}

/** `podSelector: {}` isolating the direction with no rule that reopens everything. */
export function isDefaultDeny(policy: NetworkPolicy, direction: Direction): boolean {
  return policy.podSelector.matchesAll && policy.types.has(direction) && !policy.rules[direction].some(allowsEverything);
}

export interface NamespaceInScope {
  name: string;
  /** Where a finding about the namespace points: its Namespace object, else its first workload. */
  object: InventoryObject;
  path: PathSegment[];
}

/** Namespaces that should carry default-deny policies: every declared one (but kube-public and kube-node-lease, which hold no pods) and every one with workloads. */
export function namespacesInScope(model: NetpolModel): NamespaceInScope[] {
  const out = new Map<string, NamespaceInScope>();
  for (const ns of model.namespaces.values()) {
    if (ns.object && ns.name !== 'kube-public' && ns.name !== 'kube-node-lease') out.set(ns.name, { name: ns.name, object: ns.object, path: ['metadata', 'name'] });
  }
  for (const w of model.workloads) {
    if (out.has(w.namespace)) continue;
    out.set(w.namespace, { name: w.namespace, object: w.object, path: w.object.namespace !== undefined ? ['metadata', 'namespace'] : ['metadata'] });
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
