// CIS 1.3.6: kube-controller-manager keeps the RotateKubeletServerCertificate gate on.

import { gateCheck, GATE } from '../templates/feature-gate.js';

export const controllerManagerRotateKubeletServerCertificate = gateCheck(
  'controller-manager-rotate-kubelet-server-certificate', '1.3.6', true, 'kube-controller-manager',
  `Remove ${GATE}=false from kube-controller-manager --feature-gates.`,
);
