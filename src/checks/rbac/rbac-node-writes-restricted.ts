import { ruleGrantCheck } from '../templates/rule-grant.js';

// Vectors E20/E21 of spec/semantics.md §2.2: not a path to cluster-admin alone, but control over
// where pods run.
export const rbacNodeWritesRestricted = ruleGrantCheck({
  id: 'rbac-node-writes-restricted',
  title: 'ClusterRoles do not grant writing Nodes',
  severity: 'medium',
  category: 'rbac',
  controls: ['nsa:A6'],
  rationale:
    'update/patch on nodes or nodes/status changes the labels, taints and schedulability that nodeSelector, affinity and ' +
    'tolerations rely on: the holder attracts workloads to a node or drives them off others. With pod eviction in ' +
    'kube-system it can move system pods, and their tokens, onto a node it controls ("steal pods").',
  remediation:
    'Leave node writes to the kubelets (limited by the Node authorizer and NodeRestriction) and the node controllers; ' +
    'give operators who cordon nodes a dedicated role, and do not combine it with eviction in kube-system.',
  permissions: [
    { verbs: ['update', 'patch'], group: '', resource: 'nodes' },
    { verbs: ['update', 'patch'], group: '', resource: 'nodes', subresource: 'status' },
  ],
  clusterScoped: true,
  consequence: 'can relabel, taint or cordon nodes and so decide where pods are scheduled',
  examples: {
    pass: 'rules:\n- apiGroups: [""]\n  resources: [nodes]\n  verbs: [get, list, watch]',
    fail: 'rules:\n- apiGroups: [""]\n  resources: [nodes]\n  verbs: [patch]',
  },
});
