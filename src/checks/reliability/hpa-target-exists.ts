// kube-score horizontalpodautoscaler-has-target, kube-linter dangling-hpa, judged where the input
// can know: a scaleTargetRef whose name is a near miss of an object of that kind in the namespace.

import { isMapping } from '../../inventory/model.js';
import type { ObjectCheck } from '../types.js';
import { resolveReference } from './references.js';

export const hpaTargetExists: ObjectCheck = {
  id: 'hpa-target-exists',
  title: 'HorizontalPodAutoscalers target a workload that exists (no typo)',
  severity: 'low',
  category: 'reliability',
  controls: [],
  rationale: 'An autoscaler whose target does not exist scales nothing; the workload it was meant for keeps its fixed replica count under load.',
  remediation: 'Correct spec.scaleTargetRef to the workload the finding suggests.',
  appliesTo: 'spec.scaleTargetRef of HorizontalPodAutoscalers, against the objects of that kind in the input; reported only for a near miss of one of them',
  scope: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  examples: {
    pass: 'scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}',
    fail: 'scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: wbe}',
    beside: 'kind: Deployment\nmetadata: {name: web}',
  },
  evaluate(obj, ctx) {
    const spec = obj.raw.spec;
    if (!isMapping(spec) || !isMapping(spec.scaleTargetRef) || obj.namespace === undefined) return [];
    const { kind, name } = spec.scaleTargetRef;
    if (typeof kind !== 'string' || typeof name !== 'string') return [];
    const ref = resolveReference(ctx.inventory, kind, obj.namespace, name);
    if (ref.found || !ref.meant) return [];
    return [{ path: ['spec', 'scaleTargetRef', 'name'], message: `${kind} "${name}" is not in namespace ${obj.namespace}; did you mean "${ref.meant}"?` }];
  },
};
