import { describeObject, type InventoryObject } from '../../inventory/model.js';
import type { InventoryCheck, Violation } from '../types.js';
import { CLUSTER_SCOPED_KINDS } from '../../inventory/cluster-scoped.js';

/** What Kubernetes itself keeps in `default` (CIS 5.6.4): kind → names ('*' for any). */
const BUILT_IN_DEFAULT_OBJECTS: Record<string, string[] | '*'> = {
  Service: ['kubernetes'],
  Endpoints: ['kubernetes'],
  EndpointSlice: ['kubernetes'],
  ServiceAccount: ['default'],
  ConfigMap: ['kube-root-ca.crt'],
  Event: '*',
};


export const objectNotInDefaultNamespace: InventoryCheck = {
  id: 'object-not-in-default-namespace',
  title: 'Objects are not placed in the default namespace',
  severity: 'low',
  category: 'workload',
  controls: ['cis:5.6.4', 'nsa:N1'],
  rationale:
    'The default namespace is where everything lands that nobody placed deliberately, so it collects ' +
    'unrelated workloads that share RBAC, NetworkPolicies, quotas and Pod Security labels. CIS 5.6.4 asks ' +
    'that it hold only what Kubernetes puts there (the `kubernetes` Service, Endpoints and EndpointSlice, ' +
    'the `default` ServiceAccount, the `kube-root-ca.crt` ConfigMap, Events). Only objects that explicitly ' +
    'write `metadata.namespace: default` are reported: a manifest without a namespace gets one at apply ' +
    'time (`kubectl -n`, Kustomize, Helm), so it cannot be judged from the file.',
  remediation:
    'Create a namespace per application or team and set metadata.namespace to it (with its own RBAC, ' +
    'NetworkPolicies, quota and Pod Security labels).',
  appliesTo: 'namespaced objects that set metadata.namespace',
  scope: 'inventory',
  examples: {
    pass: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}',
    fail: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}',
  },
  evaluate(inventory) {
    const placed = inventory.objects.filter((o) => o.namespace !== undefined && !CLUSTER_SCOPED_KINDS.has(o.kind));
    if (placed.length === 0) {
      return { skip: 'no namespaced object in the input sets metadata.namespace; the namespace is chosen at apply time' };
    }
    const violations: Violation[] = placed
      .filter((o) => o.namespace === 'default' && !isBuiltIn(o))
      .map((o) => ({
        object: o,
        path: ['metadata', 'namespace'],
        message: `${describeObject(o)} is in the default namespace; move it to a namespace of its own`,
      }));
    return { evaluated: placed.length, violations };
  },
};

function isBuiltIn(obj: InventoryObject): boolean {
  const names = BUILT_IN_DEFAULT_OBJECTS[obj.kind];
  return names === '*' || (names !== undefined && names.includes(obj.name));
}
