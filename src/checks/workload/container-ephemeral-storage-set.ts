import { containerFieldSetCheck } from '../templates/container-field-set.js';

// kube-score's container-ephemeral-storage-request-and-limit. Opt-in: without a limit a container
// can fill the node's disk and get other pods evicted, but most workloads write little and the
// namespace's LimitRange can set it for all of them.
export const containerEphemeralStorageSet = containerFieldSetCheck({
  id: 'container-ephemeral-storage-set',
  title: 'Containers set ephemeral-storage requests and limits (opt-in)',
  severity: 'low',
  category: 'workload',
  controls: ['nsa:P16'],
  rationale:
    'Logs, emptyDir volumes and the writable layer use node disk. Without a limit one container can fill it and the kubelet ' +
    'evicts other pods under disk pressure; without a request the scheduler does not count the space.',
  remediation: 'Set resources.requests.ephemeral-storage and resources.limits.ephemeral-storage on every container (or defaults in the namespace\'s LimitRange).',
  optIn: true,
  fields: [
    { path: ['resources', 'limits', 'ephemeral-storage'] },
    { path: ['resources', 'requests', 'ephemeral-storage'], defaultedFrom: ['resources', 'limits', 'ephemeral-storage'] },
  ],
  examples: {
    pass: 'resources:\n  requests: {ephemeral-storage: 256Mi}\n  limits: {ephemeral-storage: 1Gi}',
    fail: 'resources:\n  limits: {cpu: 500m, memory: 256Mi}',
  },
});
