import { ruleGrantCheck } from '../templates/rule-grant.js';

const GROUP = 'admissionregistration.k8s.io';
const VERBS = ['create', 'update', 'patch', 'delete'];

export const rbacWebhookConfigurationRestricted = ruleGrantCheck({
  id: 'rbac-webhook-configuration-restricted',
  title: 'ClusterRoles do not grant changing admission webhook configurations',
  severity: 'high',
  category: 'rbac',
  controls: ['cis:5.1.12', 'nsa:A6'],
  rationale:
    'An admission webhook receives every object it selects (Secrets included), and a mutating webhook can inject privileged ' +
    'containers into any pod, kube-system included. Deleting or changing one also switches off the policies it enforces.',
  remediation: 'Keep write access to mutatingwebhookconfigurations and validatingwebhookconfigurations to cluster administrators; an operator that manages its own webhook should be limited with resourceNames.',
  permissions: [
    { verbs: VERBS, group: GROUP, resource: 'mutatingwebhookconfigurations' },
    { verbs: VERBS, group: GROUP, resource: 'validatingwebhookconfigurations' },
  ],
  clusterScoped: true,
  consequence: 'can read or rewrite objects as they are admitted, or switch admission policies off',
  examples: {
    pass: 'rules:\n- apiGroups: [admissionregistration.k8s.io]\n  resources: [validatingwebhookconfigurations]\n  verbs: [get, list, watch]',
    fail: 'rules:\n- apiGroups: [admissionregistration.k8s.io]\n  resources: [mutatingwebhookconfigurations]\n  verbs: [create, update]',
  },
});
