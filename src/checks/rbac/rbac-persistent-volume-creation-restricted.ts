import { ruleGrantCheck } from '../templates/rule-grant.js';

export const rbacPersistentVolumeCreationRestricted = ruleGrantCheck({
  id: 'rbac-persistent-volume-creation-restricted',
  title: 'ClusterRoles do not grant creating PersistentVolumes',
  severity: 'high',
  category: 'rbac',
  controls: ['cis:5.1.9', 'nsa:A6'],
  rationale: 'A PersistentVolume can point at a hostPath: whoever creates one and a pod that mounts it reads and writes the node\'s filesystem, and so escapes to the node.',
  remediation: 'Let only storage administrators and provisioners create PersistentVolumes; users should create PersistentVolumeClaims against a StorageClass.',
  permissions: [{ verbs: ['create'], group: '', resource: 'persistentvolumes' }],
  clusterScoped: true,
  consequence: 'can mount any path of a node into a pod',
  examples: {
    pass: 'rules:\n- apiGroups: [""]\n  resources: [persistentvolumeclaims]\n  verbs: [create]',
    fail: 'rules:\n- apiGroups: [""]\n  resources: [persistentvolumes]\n  verbs: [create]',
  },
});
