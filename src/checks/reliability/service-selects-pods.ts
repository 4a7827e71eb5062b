// kube-linter dangling-service, kube-score service-targets-pod, judged where the input can know:
// a Service whose selector matches no pod template of its namespace but nearly matches one (a
// typo in one label). Pods an operator creates are not in the input, so a selector that matches
// nothing and nothing nearly is not judged.

import { isMapping, type PodTarget } from '../../inventory/model.js';
import type { ObjectCheck } from '../types.js';
import { serviceSelects } from './shared.js';
import { nearMissLabel } from './references.js';

/** The labels of each pod template of a namespace, made once per namespace (the inventory gives the same list each time). */
const labelsOfTemplates = new WeakMap<readonly PodTarget[], Record<string, string>[]>();
function templateLabels(pods: readonly PodTarget[]): Record<string, string>[] {
  let labels = labelsOfTemplates.get(pods);
  if (!labels) {
    labels = pods.map((p) => (isMapping(p.meta.labels) ? (p.meta.labels as Record<string, string>) : {}));
    labelsOfTemplates.set(pods, labels);
  }
  return labels;
}

export const serviceSelectsPods: ObjectCheck = {
  id: 'service-selects-pods',
  title: 'Services select the pods they were written for (no typo in a label)',
  severity: 'low',
  category: 'reliability',
  controls: [],
  rationale: 'A Service whose selector matches no pod has no endpoints: every connection to it fails, often because of a typo in one label.',
  remediation: 'Correct spec.selector to the pod template labels the finding suggests.',
  appliesTo: 'selectors of Services in namespaces whose pod templates are in the input; reported only when one label is a near miss of a template\'s labels',
  scope: 'object',
  kinds: ['Service'],
  examples: {
    pass: 'selector: {app: web}',
    fail: 'selector: {app: wbe}',
    beside: 'kind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata: {labels: {app: web}}',
  },
  evaluate(obj, ctx) {
    const spec = obj.raw.spec;
    if (!isMapping(spec) || !isMapping(spec.selector) || obj.namespace === undefined) return [];
    const templates = templateLabels(ctx.inventory.podsInNamespace(obj.namespace));
    if (templates.length === 0 || templates.some((labels) => serviceSelects(obj, labels))) return [];
    const selector = Object.fromEntries(Object.entries(spec.selector).map(([k, v]) => [k, String(v)]));
    const miss = nearMissLabel(selector, templates);
    if (!miss) return [];
    return [{ path: ['spec', 'selector', miss.key], message: `spec.selector matches no pod in namespace ${obj.namespace}; did you mean ${miss.wanted}?` }];
  },
};
