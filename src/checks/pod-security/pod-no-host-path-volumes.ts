import { isMapping } from '../../inventory/model.js';
import type { PodCheck, Violation } from '../types.js';

export const podNoHostPathVolumes: PodCheck = {
  id: 'pod-no-host-path-volumes',
  title: 'Pods do not mount hostPath volumes',
  severity: 'high',
  category: 'pod-security',
  controls: ['pss:baseline/hostPathVolumes', 'cis:5.2.11', 'nsa:P7'],
  pss: { level: 'baseline', check: 'hostPathVolumes', overriddenBy: 'restrictedVolumes' },
  rationale:
    'A hostPath volume exposes the node filesystem to the container: node credentials, the container runtime ' +
    'socket and other pods\' data, and a path to take over the node.',
  remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes.',
  appliesTo: 'volumes of pod specs (Pods and every workload template)',
  scope: 'pod',
  examples: {
    pass: 'volumes:\n- name: cache\n  emptyDir: {}',
    fail: 'volumes:\n- name: docker\n  hostPath:\n    path: /var/run/docker.sock',
  },
  evaluate(pod) {
    const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    const violations: Violation[] = [];
    volumes.forEach((volume, i) => {
      if (!isMapping(volume) || volume.hostPath === undefined || volume.hostPath === null) return;
      const hostPath = isMapping(volume.hostPath) && typeof volume.hostPath.path === 'string' ? ` (${volume.hostPath.path})` : '';
      violations.push({
        path: [...pod.specPath, 'volumes', i, 'hostPath'],
        message: `volume "${String(volume.name ?? i)}" is a hostPath volume${hostPath}; use emptyDir, configMap, secret, projected or a persistentVolumeClaim instead`,
      });
    });
    return violations;
  },
};
