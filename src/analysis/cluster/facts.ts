// Facts about a scanned cluster that a report shows as they are: what its nodes run.

import type { Inventory } from '../../inventory/inventory.js';
import { getPath } from '../../inventory/model.js';

export interface NodeFacts {
  nodes: number;
  /** kubelet version → number of nodes. */
  kubeletVersions: Record<string, number>;
  /** Container runtime (`containerd://1.7.24`) → number of nodes. */
  containerRuntimes: Record<string, number>;
}

export function nodeFacts(inventory: Inventory): NodeFacts {
  const facts: NodeFacts = { nodes: 0, kubeletVersions: {}, containerRuntimes: {} };
  for (const node of inventory.ofKind('Node')) {
    facts.nodes++;
    count(facts.kubeletVersions, getPath(node.raw, ['status', 'nodeInfo', 'kubeletVersion']));
    count(facts.containerRuntimes, getPath(node.raw, ['status', 'nodeInfo', 'containerRuntimeVersion']));
  }
  return facts;
}

function count(into: Record<string, number>, value: unknown): void {
  const key = typeof value === 'string' && value !== '' ? value : 'unknown';
  into[key] = (into[key] ?? 0) + 1;
}
