// CIS 4.2.11: the kubelet keeps the RotateKubeletServerCertificate gate on.

import { gateCheck, GATE } from '../templates/feature-gate.js';

export const kubeletRotateServerCertificateGate = gateCheck(
  'kubelet-rotate-server-certificate-gate', '4.2.11', false, 'kubelet',
  `Remove ${GATE}: false from the kubelet config's featureGates (and from --feature-gates).`,
);
