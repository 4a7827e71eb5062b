import { RBAC_GROUP } from '../../analysis/rbac/parse.js';
import { ruleGrantCheck } from '../templates/rule-grant.js';

export const rbacBindEscalateImpersonateRestricted = ruleGrantCheck({
  id: 'rbac-bind-escalate-impersonate-restricted',
  title: 'Roles do not grant bind, escalate or impersonate',
  severity: 'high',
  category: 'rbac',
  controls: ['cis:5.1.8', 'nsa:A6'],
  rationale:
    'bind and escalate on roles bypass RBAC\'s escalation prevention: the holder can bind itself to any role or write ' +
    'any rule. impersonate lets the holder act as another user, group or service account, including system:masters.',
  remediation: 'Remove bind, escalate and impersonate from the rule, or restrict it with resourceNames to the exact roles or identities needed, and bind it only to cluster operators.',
  permissions: [
    { verbs: ['bind', 'escalate'], group: RBAC_GROUP, resource: 'roles' },
    { verbs: ['bind', 'escalate'], group: RBAC_GROUP, resource: 'clusterroles' },
    { verbs: ['impersonate'], group: '', resource: 'users' },
    { verbs: ['impersonate'], group: '', resource: 'groups' },
    { verbs: ['impersonate'], group: '', resource: 'serviceaccounts' },
    { verbs: ['impersonate'], group: 'authentication.k8s.io', resource: 'uids' },
    { verbs: ['impersonate'], group: 'authentication.k8s.io', resource: 'userextras' },
  ],
  consequence: 'can grant itself permissions it does not hold, or act as another identity',
  examples: {
    pass: 'rules:\n- apiGroups: [rbac.authorization.k8s.io]\n  resources: [rolebindings]\n  verbs: [get, list]',
    fail: 'rules:\n- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  verbs: [bind]',
  },
});
