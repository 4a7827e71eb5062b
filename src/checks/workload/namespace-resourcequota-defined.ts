import { isMapping } from '../../inventory/model.js';
import type { InventoryCheck } from '../types.js';
import { evaluateNamespaces } from './namespace-policy-objects.js';

/** The four bounds the NSA/CISA example quota sets; `cpu`/`memory` are the API's aliases of the requests. */
const REQUIRED_HARD: { key: string; alias?: string }[] = [
  { key: 'requests.cpu', alias: 'cpu' },
  { key: 'requests.memory', alias: 'memory' },
  { key: 'limits.cpu' },
  { key: 'limits.memory' },
];

export const namespaceResourceQuotaDefined: InventoryCheck = {
  id: 'namespace-resourcequota-defined',
  title: 'Namespaces with workloads have a ResourceQuota on CPU and memory',
  severity: 'low',
  category: 'workload',
  controls: ['nsa:N6'],
  rationale:
    'A ResourceQuota caps what a whole namespace may request and use, so one team or one compromised ' +
    'workload cannot take the cluster\'s capacity, and it makes every container declare its requests and ' +
    'limits. The NSA/CISA guidance asks for one in each user namespace, with hard bounds on requests.cpu, ' +
    'requests.memory, limits.cpu and limits.memory. Quotas with scopes or a scopeSelector cover only some ' +
    'pods and are not counted. Only Namespace objects in the input that hold workloads of the input are ' +
    'judged; kube-system, kube-public and kube-node-lease are left out.',
  remediation:
    'Add a ResourceQuota to the namespace whose spec.hard sets requests.cpu, requests.memory, limits.cpu and ' +
    'limits.memory (for example "1", 1Gi, "2", 2Gi), sized for the namespace.',
  appliesTo: 'Namespaces holding workloads, and their ResourceQuotas',
  scope: 'inventory',
  examples: {
    pass:
      'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: quota, namespace: shop}\nspec:\n  hard: {requests.cpu: "1", requests.memory: 1Gi, limits.cpu: "2", limits.memory: 2Gi}',
    fail: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n# and no ResourceQuota in shop',
  },
  evaluate(inventory) {
    return evaluateNamespaces(inventory, (namespace) => {
      const quotas = inventory.inNamespace('ResourceQuota', namespace);
      if (quotas.length === 0) return 'has no ResourceQuota; add one bounding CPU and memory';
      const bounded = new Set<string>();
      for (const quota of quotas) {
        const spec = isMapping(quota.raw.spec) ? quota.raw.spec : {};
        if (spec.scopes !== undefined || spec.scopeSelector !== undefined || !isMapping(spec.hard)) continue;
        for (const key of Object.keys(spec.hard)) bounded.add(key);
      }
      const lacking = REQUIRED_HARD.filter((r) => !bounded.has(r.key) && !(r.alias && bounded.has(r.alias))).map((r) => r.key);
      if (lacking.length === 0) return undefined;
      return `no unscoped ResourceQuota in it sets spec.hard ${lacking.join(', ')}; add them`;
    });
  },
};
