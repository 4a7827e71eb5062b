import { describeObject } from '../../inventory/model.js';
import type { ObjectCheck } from '../types.js';
import { SYSTEM_NAMESPACES } from './namespace-policy-objects.js';

export const namespaceNameAvoidsKubePrefix: ObjectCheck = {
  id: 'namespace-name-avoids-kube-prefix',
  title: 'Namespace names avoid the reserved kube- prefix',
  severity: 'low',
  category: 'workload',
  controls: ['nsa:N1'],
  rationale:
    'Kubernetes reserves the kube- prefix for its own namespaces (kube-system, kube-public, ' +
    'kube-node-lease). A user namespace named kube-… looks like a system namespace to people, to policy ' +
    'exemptions written as "kube-*", and to tools that skip system namespaces — so its workloads escape ' +
    'review. The NSA/CISA guidance asks that new namespaces avoid the prefix.',
  remediation: 'Name the namespace without the kube- prefix (for example monitoring instead of kube-monitoring) and move its objects.',
  appliesTo: 'Namespaces',
  scope: 'object',
  kinds: ['Namespace'],
  examples: {
    pass: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: monitoring}',
    fail: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-monitoring}',
  },
  evaluate(obj) {
    if (!obj.name.startsWith('kube-') || SYSTEM_NAMESPACES.has(obj.name)) return [];
    return [{ path: ['metadata', 'name'], message: `${describeObject(obj)} uses the kube- prefix that Kubernetes reserves for its own namespaces; rename it` }];
  },
};
