// NodeFacts from a manifest scan: control-plane static pods become components read from
// their command and args; KubeletConfiguration and KubeProxyConfiguration documents become
// a kubelet / kube-proxy known only from its config file. No host: file items skip.

import type { Inventory } from '../../inventory/inventory.js';
import type { ComponentName } from '../../inventory/node-facts.js';
import { parseComponentCommandLine } from './components.js';
import { addComponent, type NodeFacts } from '../../inventory/node-facts.js';
import { componentsFromInventory } from './static-pods.js';

const CONFIG_KINDS: { kind: string; group: string; component: ComponentName }[] = [
  { kind: 'KubeletConfiguration', group: 'kubelet.config.k8s.io', component: 'kubelet' },
  { kind: 'KubeProxyConfiguration', group: 'kubeproxy.config.k8s.io', component: 'kube-proxy' },
];

const cache = new WeakMap<Inventory, NodeFacts>();

export function factsFromInventory(inventory: Inventory): NodeFacts {
  const known = cache.get(inventory);
  if (known) return known;
  const facts: NodeFacts = { mode: 'manifests', inventory, components: new Map(), notFound: new Map(), errors: [] };
  for (const c of componentsFromInventory(inventory)) addComponent(facts, c);
  for (const { kind, group, component } of CONFIG_KINDS) {
    for (const object of inventory.ofKind(kind)) {
      if (object.group !== group) continue;
      addComponent(facts, {
        component,
        origin: { kind: 'config', file: object.source.file, object },
        cmd: parseComponentCommandLine([component]),
        env: new Map(),
        config: { path: object.source.file, how: 'manifest', value: object.raw, object },
        where: `${kind} in ${object.source.file}`,
      });
    }
  }
  cache.set(inventory, facts);
  return facts;
}
