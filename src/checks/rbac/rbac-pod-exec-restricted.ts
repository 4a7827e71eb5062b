import { ruleGrantCheck } from '../templates/rule-grant.js';

// pods/exec, pods/attach and pods/portforward: kubescape C-0002 and kube-linter's access
// templates name them. `get` counts too: a WebSocket upgrade of exec/attach/portforward is
// authorized as get until the AuthorizePodWebsocketUpgradeCreatePermission gate is on everywhere.
export const rbacPodExecRestricted = ruleGrantCheck({
  id: 'rbac-pod-exec-restricted',
  title: 'Roles do not grant pods/exec, pods/attach or pods/portforward',
  severity: 'high',
  category: 'rbac',
  controls: ['nsa:A8', 'nsa:A6'],
  rationale:
    'Exec and attach run commands in a running container with its identity, its mounted Secrets and its service-account ' +
    'token; port-forward reaches ports no Service or NetworkPolicy exposes. Such access should be rare, audited and short-lived.',
  remediation: 'Remove pods/exec, pods/attach and pods/portforward from roles that do not need them; grant them to a break-glass role for the few people who debug production.',
  permissions: [
    { verbs: ['create', 'get'], group: '', resource: 'pods', subresource: 'exec' },
    { verbs: ['create', 'get'], group: '', resource: 'pods', subresource: 'attach' },
    { verbs: ['create', 'get'], group: '', resource: 'pods', subresource: 'portforward' },
  ],
  consequence: 'can run commands in, or open connections to, the pods of its scope',
  examples: {
    pass: 'rules:\n- apiGroups: [""]\n  resources: [pods, pods/log]\n  verbs: [get, list]',
    fail: 'rules:\n- apiGroups: [""]\n  resources: [pods/exec]\n  verbs: [create]',
  },
});
