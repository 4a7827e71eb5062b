import { containersOf } from '../../inventory/pod-specs.js';
import type { InventoryObject, PathSegment } from '../../inventory/model.js';
import type { InventoryCheck } from '../types.js';

/** CNIs recognised by their agent's image or workload name; `enforces`: whether it implements NetworkPolicy. */
const KNOWN_CNIS: { name: string; enforces: boolean; pattern: RegExp }[] = [
  { name: 'Calico', enforces: true, pattern: /calico\/node|calico-node|tigera-operator|(^|\/)canal/ },
  { name: 'Cilium', enforces: true, pattern: /(^|\/)cilium(:|@|$|-agent)|cilium\/cilium/ },
  { name: 'Antrea', enforces: true, pattern: /antrea-agent|antrea\/antrea/ },
  { name: 'Weave Net', enforces: true, pattern: /weave-npc|weave-net|weaveworks\/weave-kube/ },
  { name: 'kube-router', enforces: true, pattern: /kube-router/ },
  { name: 'Flannel', enforces: false, pattern: /flannel/ },
];

interface Sighting {
  cni: (typeof KNOWN_CNIS)[number];
  object: InventoryObject;
  path: PathSegment[];
}

export const cniEnforcesNetworkPolicy: InventoryCheck = {
  id: 'cni-enforces-network-policy',
  title: 'The cluster network plugin enforces NetworkPolicies',
  severity: 'high',
  category: 'network',
  controls: ['cis:5.3.1', 'nsa:N2'],
  rationale:
    'NetworkPolicy objects are only instructions: the network plugin (CNI) enforces them. With a plugin that does not ' +
    '(Flannel alone, kubenet) every policy is silently ignored and every pod can reach every other.',
  remediation:
    'Run a CNI that enforces NetworkPolicy — Calico, Cilium, Antrea, Weave Net or kube-router (or Canal: Flannel with ' +
    'Calico\'s policy engine) — or enable the policy engine of your managed cluster.',
  appliesTo: 'DaemonSets and Deployments of network plugins',
  scope: 'inventory',
  evaluate(inventory) {
    const sightings: Sighting[] = [];
    for (const kind of ['DaemonSet', 'Deployment']) {
      for (const obj of inventory.ofKind(kind)) {
        for (const cni of KNOWN_CNIS) {
          const where = whereSeen(cni.pattern, obj, inventory.podsOf(obj)[0]);
          if (where) sightings.push({ cni, object: obj, path: where });
        }
      }
    }
    const enforcing = sightings.filter((s) => s.cni.enforces);
    if (enforcing.length) return { evaluated: 1, violations: [] };
    const flannel = sightings[0];
    if (!flannel) {
      return {
        skip:
          'the input shows no known network plugin; NetworkPolicies only take effect with a CNI that enforces them ' +
          '(Calico, Cilium, Antrea, Weave Net, kube-router) — check the cluster\'s',
      };
    }
    return {
      evaluated: 1,
      violations: [{
        object: flannel.object,
        path: flannel.path,
        message: `the network plugin is ${flannel.cni.name}, which does not enforce NetworkPolicies: every policy is ignored; add Calico (Canal) or move to a CNI that enforces them`,
      }],
    };
  },
};

function whereSeen(pattern: RegExp, obj: InventoryObject, pod: Parameters<typeof containersOf>[0] | undefined): PathSegment[] | undefined {
  if (pod) {
    for (const c of containersOf(pod)) {
      if (typeof c.container.image === 'string' && pattern.test(c.container.image)) return [...c.path, 'image'];
    }
  }
  return pattern.test(obj.name) ? ['metadata', 'name'] : undefined;
}
