import type { PodCheck } from '../types.js';
import { setFieldFix } from '../../analysis/pod/containers.js';

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export const podNoHostNamespaces: PodCheck = {
  id: 'pod-no-host-namespaces',
  title: 'Pods do not share the host network, PID or IPC namespace',
  severity: 'high',
  category: 'pod-security',
  controls: ['pss:baseline/hostNamespaces', 'cis:5.2.3', 'cis:5.2.4', 'cis:5.2.5', 'nsa:P5', 'nsa:P6'],
  pss: { level: 'baseline', check: 'hostNamespaces' },
  rationale:
    'A pod in the host network namespace can sniff and reach node-local services; in the host PID namespace it ' +
    'sees and can signal every process on the node; in the host IPC namespace it shares memory with host processes.',
  remediation: 'Remove spec.hostNetwork, spec.hostPID and spec.hostIPC (or set them to false).',
  appliesTo: 'pod specs (Pods and every workload template)',
  scope: 'pod',
  examples: {
    pass: 'spec:\n  hostNetwork: false',
    fail: 'spec:\n  hostNetwork: true\n  hostPID: true',
  },
  evaluate(pod) {
    return HOST_NAMESPACE_FIELDS.filter((field) => pod.spec[field] === true).map((field) => {
      const path = [...pod.specPath, field];
      return {
        path,
        message: `the pod sets ${field}: true; remove it or set it to false`,
        fix: [setFieldFix(pod.object, path, false)],
      };
    });
  },
};
