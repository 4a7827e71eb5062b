import { isMapping } from '../../inventory/model.js';
import type { PodCheck, Violation } from '../types.js';

/** Volume sources restricted allows (image volumes since the library of Kubernetes 1.33, at every policy version). */
const ALLOWED_SOURCES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);

/** Every other volume source of the core/v1 API. */
const FORBIDDEN_SOURCES = new Set([
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
]);

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export const podOnlyRestrictedVolumeTypes: PodCheck = {
  id: 'pod-only-restricted-volume-types',
  title: 'Pods use only ephemeral, projected and claim-based volume types',
  // It replaces pod-no-host-path-volumes at the restricted level, so hostPath findings keep their severity.
  severity: 'high',
  category: 'pod-security',
  controls: ['pss:restricted/restrictedVolumes', 'cis:5.2.11', 'nsa:P7'],
  pss: { level: 'restricted', check: 'restrictedVolumes' },
  rationale:
    'Volume types other than configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, ' +
    'projected and secret reach node paths or storage backends directly, outside the control of PersistentVolumes ' +
    'that a cluster administrator sets up; hostPath gives access to the node itself.',
  remediation:
    'Use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret ' +
    'volumes; reach network storage through a PersistentVolumeClaim.',
  appliesTo: 'volumes of pod specs (Pods and every workload template)',
  scope: 'pod',
  examples: {
    pass: 'volumes:\n- name: data\n  persistentVolumeClaim:\n    claimName: data',
    fail: 'volumes:\n- name: data\n  nfs:\n    server: nfs.example\n    path: /export',
  },
  evaluate(pod) {
    const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    const violations: Violation[] = [];
    volumes.forEach((volume, i) => {
      if (!isMapping(volume)) return;
      const name = `volume "${String(volume.name ?? i)}"`;
      const sources = Object.keys(volume).filter((key) => key !== 'name' && isSet(volume[key]));
      // A volume with no source is defaulted to emptyDir by the API server, before admission.
      if (sources.length === 0 || sources.some((key) => ALLOWED_SOURCES.has(key))) return;
      for (const key of sources) {
        violations.push({
          path: [...pod.specPath, 'volumes', i, key],
          message: FORBIDDEN_SOURCES.has(key)
            ? `${name} is a ${key} volume, which restricted does not allow; use a persistentVolumeClaim (or emptyDir, configMap, secret, projected) instead`
            : `${name} has the unknown volume type ${key}; use one of configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret`,
        });
      }
    });
    return violations;
  },
};
