// Polaris livenessProbeMissing, kube-linter no-liveness-probe, kube-score pod-probes, checkov
// CKV_K8S_8, kubescape C-0056: a container that runs for the pod's lifetime has a liveness probe.

import { coveredContainers } from '../covered-containers.js';
import type { PodCheck, Violation } from '../types.js';
import { isLongRunningPod } from './shared.js';

export const containerLivenessProbeSet: PodCheck = {
  id: 'container-liveness-probe-set',
  title: 'Long-running containers have a liveness probe',
  severity: 'low',
  category: 'reliability',
  // Availability, not security: no framework item.
  controls: [],
  rationale: 'Without a liveness probe a container that hangs (a deadlock, an exhausted pool) keeps running and keeps failing its requests; the kubelet restarts only processes that exit.',
  remediation: 'Add livenessProbe (httpGet, tcpSocket, grpc or exec) that fails only when a restart would help, with a failureThreshold and period that tolerate slow moments.',
  appliesTo: 'regular containers of long-running workloads (Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, DeploymentConfigs, CloneSets, Rollouts and bare Pods that restart always)',
  containers: {
    covers: ['containers'],
    why: 'init containers run to completion before the pod starts, and the API refuses probes on ephemeral containers',
  },
  scope: 'pod',
  examples: { pass: 'livenessProbe:\n  httpGet: {path: /healthz, port: 8080}', fail: 'containers:\n- name: app\n  image: registry.example/app:1.2.3' },
  evaluate(pod) {
    if (!isLongRunningPod(pod)) return [];
    const out: Violation[] = [];
    for (const c of coveredContainers(pod, containerLivenessProbeSet)) {
      if (c.container.livenessProbe !== undefined && c.container.livenessProbe !== null) continue;
      out.push({ path: [...c.path, 'livenessProbe'], message: `container "${c.name}" has no livenessProbe` });
    }
    return out;
  },
};
