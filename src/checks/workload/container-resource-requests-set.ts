import { containerFieldSetCheck } from '../templates/container-field-set.js';

export const containerResourceRequestsSet = containerFieldSetCheck({
  id: 'container-resource-requests-set',
  title: 'Containers set CPU and memory requests',
  severity: 'low',
  category: 'workload',
  controls: ['nsa:P16'],
  rationale:
    'Requests are what the scheduler reserves for a container. Without them a pod is scheduled as if it ' +
    'needed nothing, nodes get overcommitted, and under pressure the pod is among the first evicted. ' +
    'The NSA/CISA guidance pairs requests with limits to bound what each workload can use. A request left ' +
    'unset while its limit is set is not reported: the API server copies the limit into the request. ' +
    'Requests set for the whole pod in spec.resources (pod-level resources) count for all its containers.',
  remediation:
    'Set resources.requests.cpu and resources.requests.memory on every container (for example cpu: "100m", ' +
    'memory: 128Mi).',
  // The API server copies a limit into an unset request, so a limit alone also sets the request.
  fields: [
    { path: ['resources', 'requests', 'cpu'], defaultedFrom: ['resources', 'limits', 'cpu'], podLevel: ['resources', 'requests', 'cpu'] },
    { path: ['resources', 'requests', 'memory'], defaultedFrom: ['resources', 'limits', 'memory'], podLevel: ['resources', 'requests', 'memory'] },
  ],
  examples: {
    pass: 'containers:\n- name: app\n  image: registry.example/app:1.2.3\n  resources:\n    requests: {cpu: 100m, memory: 128Mi}',
    fail: 'containers:\n- name: app\n  image: registry.example/app:1.2.3',
  },
});
