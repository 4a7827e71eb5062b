import { ruleGrantCheck } from '../templates/rule-grant.js';

export const rbacTokenCreationRestricted = ruleGrantCheck({
  id: 'rbac-token-creation-restricted',
  title: 'Roles do not grant creating service account tokens',
  severity: 'medium',
  category: 'rbac',
  controls: ['cis:5.1.13', 'nsa:A6'],
  rationale: 'create on serviceaccounts/token (TokenRequest) returns a token for a service account of the namespace, so the holder gains every permission of those service accounts.',
  remediation: 'Grant serviceaccounts/token only to identities that must mint tokens, and restrict it with resourceNames to the service accounts they need.',
  permissions: [{ verbs: ['create'], group: '', resource: 'serviceaccounts', subresource: 'token' }],
  consequence: 'acts as the service accounts it can mint tokens for',
  examples: {
    pass: 'rules:\n- apiGroups: [""]\n  resources: [serviceaccounts]\n  verbs: [get]',
    fail: 'rules:\n- apiGroups: [""]\n  resources: [serviceaccounts/token]\n  verbs: [create]',
  },
});
