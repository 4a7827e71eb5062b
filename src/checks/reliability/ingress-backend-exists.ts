// kube-score ingress-targets-service, kube-linter dangling-ingress, judged where the input can
// know: a backend Service whose name is a near miss of a Service in the Ingress's namespace.

import { isMapping, type PathSegment } from '../../inventory/model.js';
import type { ObjectCheck, Violation } from '../types.js';
import { resolveReference } from './references.js';

/** Every backend service name of an Ingress (networking.k8s.io/v1: defaultBackend and rules[].http.paths[].backend). */
function backends(spec: Record<string, unknown>): { name: string; path: PathSegment[] }[] {
  const out: { name: string; path: PathSegment[] }[] = [];
  const add = (backend: unknown, path: PathSegment[]) => {
    if (isMapping(backend) && isMapping(backend.service) && typeof backend.service.name === 'string') out.push({ name: backend.service.name, path: [...path, 'service', 'name'] });
  };
  add(spec.defaultBackend, ['spec', 'defaultBackend']);
  if (Array.isArray(spec.rules)) {
    spec.rules.forEach((rule, i) => {
      if (!isMapping(rule) || !isMapping(rule.http) || !Array.isArray(rule.http.paths)) return;
      rule.http.paths.forEach((p, j) => isMapping(p) && add(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']));
    });
  }
  return out;
}

export const ingressBackendExists: ObjectCheck = {
  id: 'ingress-backend-exists',
  title: 'Ingress backends name a Service that exists (no typo)',
  severity: 'low',
  category: 'reliability',
  controls: [],
  rationale: 'An Ingress path whose backend Service does not exist answers every request with an error (503 or 404, by controller).',
  remediation: 'Correct the backend service name to the Service the finding suggests.',
  appliesTo: 'backend Service names of networking.k8s.io Ingresses, against the Services of the input; reported only for a near miss of one of them',
  scope: 'object',
  kinds: ['Ingress'],
  examples: {
    pass: 'defaultBackend:\n  service: {name: web, port: {number: 80}}',
    fail: 'defaultBackend:\n  service: {name: wbe, port: {number: 80}}',
    beside: 'kind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]',
  },
  evaluate(obj, ctx) {
    if (!isMapping(obj.raw.spec) || obj.group !== 'networking.k8s.io' || obj.namespace === undefined) return [];
    const out: Violation[] = [];
    for (const b of backends(obj.raw.spec)) {
      const ref = resolveReference(ctx.inventory, 'Service', obj.namespace, b.name);
      if (!ref.found && ref.meant) out.push({ path: b.path, message: `backend Service "${b.name}" is not in namespace ${obj.namespace}; did you mean "${ref.meant}"?` });
    }
    return out;
  },
};
