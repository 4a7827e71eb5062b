import { ruleGrantCheck } from '../templates/rule-grant.js';

export const rbacCsrApprovalRestricted = ruleGrantCheck({
  id: 'rbac-csr-approval-restricted',
  title: 'ClusterRoles do not grant approving CertificateSigningRequests',
  severity: 'high',
  category: 'rbac',
  controls: ['cis:5.1.11', 'nsa:A6'],
  rationale: 'Whoever can approve CertificateSigningRequests for the kube-apiserver-client signer can issue a client certificate for any user or group, including a cluster-admin one.',
  remediation: 'Keep update on certificatesigningrequests/approval and approve on signers to the controllers and administrators that sign certificates.',
  permissions: [
    { verbs: ['update', 'patch'], group: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval' },
    { verbs: ['approve'], group: 'certificates.k8s.io', resource: 'signers' },
  ],
  clusterScoped: true,
  consequence: 'can have certificates issued for any identity',
  examples: {
    pass: 'rules:\n- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests]\n  verbs: [get, list]',
    fail: 'rules:\n- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests/approval]\n  verbs: [update]',
  },
});
