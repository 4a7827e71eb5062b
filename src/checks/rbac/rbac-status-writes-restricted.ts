import { ruleGrantCheck } from '../templates/rule-grant.js';

// Vectors E22/E23 of spec/semantics.md §2.2: traffic interception, not a path to cluster-admin.
// Service creation with spec.externalIPs (the other half of CVE-2020-8554) is not reported here:
// the edit role grants it, and the fix is admission (DenyServiceExternalIPs), not RBAC.
export const rbacStatusWritesRestricted = ruleGrantCheck({
  id: 'rbac-status-writes-restricted',
  title: 'Roles do not grant writing pods/status or services/status',
  severity: 'medium',
  category: 'rbac',
  controls: ['nsa:A6'],
  rationale:
    'update/patch on services/status sets a LoadBalancer Service\'s ingress IP, so that kube-proxy sends cluster traffic ' +
    'meant for that IP to the holder\'s pods (CVE-2020-8554). update/patch on pods/status rewrites pods that Service ' +
    'selectors pick. Both let the holder intercept traffic of other workloads; only controllers need them.',
  remediation:
    'Keep status writes to the controllers that own the objects (the service controller, a load-balancer controller); ' +
    'grant users and applications the main resource without its /status subresource.',
  permissions: [
    { verbs: ['update', 'patch'], group: '', resource: 'services', subresource: 'status' },
    { verbs: ['update', 'patch'], group: '', resource: 'pods', subresource: 'status' },
  ],
  consequence: 'can redirect traffic meant for other workloads (man-in-the-middle)',
  examples: {
    pass: 'rules:\n- apiGroups: [""]\n  resources: [services, services/status]\n  verbs: [get, list, watch]',
    fail: 'rules:\n- apiGroups: [""]\n  resources: [services/status]\n  verbs: [update]',
  },
});
