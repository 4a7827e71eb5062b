import { isMapping } from '../../inventory/model.js';
import type { InventoryCheck } from '../types.js';
import { isQuantitySet } from '../templates/container-field-set.js';
import { evaluateNamespaces } from './namespace-policy-objects.js';

const DEFAULTED = ['cpu', 'memory'];

export const namespaceLimitRangeDefined: InventoryCheck = {
  id: 'namespace-limitrange-defined',
  title: 'Namespaces with workloads have a LimitRange giving default container limits',
  severity: 'low',
  category: 'workload',
  controls: ['nsa:N5'],
  rationale:
    'A LimitRange with a Container item gives every container that sets no limits a default CPU and memory ' +
    'limit at admission time (and can bound what containers may ask for), so one forgotten limit cannot ' +
    'starve a node. The NSA/CISA guidance asks for one in each user namespace. Only Namespace objects ' +
    'in the input that hold workloads of the input are judged; kube-system, kube-public and ' +
    'kube-node-lease are left out.',
  remediation:
    'Add a LimitRange to the namespace with an item `type: Container` whose `default` sets cpu and memory ' +
    '(and `defaultRequest`, `min`, `max` as fits), for example default: {cpu: 500m, memory: 256Mi}.',
  appliesTo: 'Namespaces holding workloads, and their LimitRanges',
  scope: 'inventory',
  examples: {
    pass:
      'apiVersion: v1\nkind: LimitRange\nmetadata: {name: limits, namespace: shop}\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 500m, memory: 256Mi}\n    defaultRequest: {cpu: 100m, memory: 128Mi}',
    fail: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n# and no LimitRange in shop',
  },
  evaluate(inventory) {
    return evaluateNamespaces(inventory, (namespace) => {
      const ranges = inventory.inNamespace('LimitRange', namespace);
      if (ranges.length === 0) return 'has no LimitRange; add one with default container limits';
      const defaulted = new Set<string>();
      for (const range of ranges) {
        const items = isMapping(range.raw.spec) ? range.raw.spec.limits : undefined;
        if (!Array.isArray(items)) continue;
        for (const item of items) {
          if (!isMapping(item) || item.type !== 'Container' || !isMapping(item.default)) continue;
          for (const resource of DEFAULTED) if (isQuantitySet(item.default[resource])) defaulted.add(resource);
        }
      }
      const lacking = DEFAULTED.filter((r) => !defaulted.has(r));
      if (lacking.length === 0) return undefined;
      return `its LimitRange gives no default container limit for ${lacking.join(' and ')}; add it under a \`type: Container\` item's \`default\``;
    });
  },
};
