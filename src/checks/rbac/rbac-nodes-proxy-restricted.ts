import { ruleGrantCheck } from '../templates/rule-grant.js';

export const rbacNodesProxyRestricted = ruleGrantCheck({
  id: 'rbac-nodes-proxy-restricted',
  title: 'ClusterRoles do not grant nodes/proxy',
  severity: 'high',
  category: 'rbac',
  controls: ['cis:5.1.10', 'nsa:A6'],
  rationale:
    'nodes/proxy reaches the kubelet API, which can run commands in every pod of the node; such requests bypass admission ' +
    'control and API audit logging. Even get is enough, since a WebSocket exec is authorized as get.',
  remediation: 'Grant nodes/metrics or nodes/stats for monitoring instead of nodes/proxy, and keep nodes/proxy to the API server and cluster operators.',
  permissions: [{ verbs: ['get', 'create', 'update', 'patch', 'delete'], group: '', resource: 'nodes', subresource: 'proxy' }],
  clusterScoped: true,
  consequence: 'can run commands in any pod through the kubelet API',
  examples: {
    pass: 'rules:\n- apiGroups: [""]\n  resources: [nodes/metrics]\n  verbs: [get]',
    fail: 'rules:\n- apiGroups: [""]\n  resources: [nodes/proxy]\n  verbs: [get]',
  },
});
