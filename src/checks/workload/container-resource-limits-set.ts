import { containerFieldSetCheck } from '../templates/container-field-set.js';

export const containerResourceLimitsSet = containerFieldSetCheck({
  id: 'container-resource-limits-set',
  title: 'Containers set CPU and memory limits',
  severity: 'medium',
  category: 'workload',
  controls: ['nsa:P16'],
  rationale:
    'A container without limits can take all the CPU and memory of its node, starving its neighbours and ' +
    'the kubelet — one compromised or buggy pod becomes a denial of service for the node. The NSA/CISA ' +
    'guidance asks for limits on every container. A limit set for the whole pod in spec.resources (pod-level ' +
    'resources) counts for all its containers. A LimitRange in the namespace can supply defaults at ' +
    'admission time; this check reports what the manifest itself says.',
  remediation:
    'Set resources.limits.cpu and resources.limits.memory on every container (for example cpu: "500m", ' +
    'memory: 256Mi), sized from the application\'s observed use.',
  // Pod-level resources (spec.resources, beta and on by default since Kubernetes 1.34) bound the whole pod.
  fields: [
    { path: ['resources', 'limits', 'cpu'], podLevel: ['resources', 'limits', 'cpu'] },
    { path: ['resources', 'limits', 'memory'], podLevel: ['resources', 'limits', 'memory'] },
  ],
  examples: {
    pass: 'containers:\n- name: app\n  image: registry.example/app:1.2.3\n  resources:\n    limits: {cpu: 500m, memory: 256Mi}',
    fail: 'containers:\n- name: app\n  image: registry.example/app:1.2.3\n  resources:\n    limits: {memory: 256Mi}',
  },
});
