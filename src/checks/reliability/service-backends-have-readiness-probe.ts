// kube-score's rule (and Polaris readinessProbeMissing, kube-linter no-readiness-probe, checkov
// CKV_K8S_9, narrowed): a pod a Service sends traffic to has a readiness probe, so traffic waits
// until it is ready. Pods no Service of the input selects are not judged: readiness only gates
// Service endpoints.

import type { PodCheck, Violation } from '../types.js';
import { isMapping } from '../../inventory/model.js';
import { isLongRunningPod, serviceSelects } from './shared.js';

export const serviceBackendsHaveReadinessProbe: PodCheck = {
  id: 'service-backends-have-readiness-probe',
  title: 'Containers of pods behind a Service have a readiness probe',
  severity: 'low',
  category: 'reliability',
  controls: [],
  rationale: 'A Service sends traffic to a pod as soon as its containers start unless a readiness probe says otherwise: during start-up and overload, requests fail.',
  remediation: 'Add readinessProbe to each container that serves the Service (an httpGet on a health endpoint that checks what the request path needs).',
  appliesTo: 'regular containers of long-running workloads whose pod labels a Service of the input selects (same namespace)',
  scope: 'pod',
  examples: {
    pass: 'metadata: {labels: {app: web}}\nspec:\n  containers:\n  - name: web\n    image: registry.example/web:1.2.3\n    readinessProbe:\n      httpGet: {path: /ready, port: 8080}',
    fail: 'metadata: {labels: {app: web}}\nspec:\n  containers:\n  - name: web\n    image: registry.example/web:1.2.3\n    ports: [{containerPort: 8080}]',
    beside: 'kind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]',
  },
  evaluate(pod, ctx) {
    if (!isLongRunningPod(pod)) return [];
    const labels = isMapping(pod.meta.labels) ? (pod.meta.labels as Record<string, string>) : {};
    const service = ctx.inventory.inNamespace('Service', pod.object.namespace).find((s) => serviceSelects(s, labels));
    if (!service) return [];
    const out: Violation[] = [];
    const containers = pod.spec.containers;
    if (!Array.isArray(containers)) return out;
    containers.forEach((c, i) => {
      if (!isMapping(c) || (c.readinessProbe !== undefined && c.readinessProbe !== null)) return;
      const name = typeof c.name === 'string' ? c.name : `containers[${i}]`;
      out.push({ path: [...pod.specPath, 'containers', i, 'readinessProbe'], message: `container "${name}" has no readinessProbe, yet Service ${service.name} sends it traffic` });
    });
    return out;
  },
};
