import { apiServerAdmissionCheck, flagLocation, listFlag } from './apiserver-admission.js';

export const apiServerPodSecurityAdmissionEnabled = apiServerAdmissionCheck(
  {
    id: 'apiserver-pod-security-admission-enabled',
    title: 'The PodSecurity admission plugin is on',
    severity: 'high',
    controls: ['nsa:P12', 'cis:5.2.1'],
    rationale:
      'Pod Security Admission is the built-in enforcement of the Pod Security Standards: without the PodSecurity plugin ' +
      'the pod-security.kubernetes.io namespace labels do nothing, and privileged pods are admitted everywhere unless ' +
      'an external policy engine stops them. It is on by default since Kubernetes 1.23.',
    remediation: 'Remove PodSecurity from --disable-admission-plugins (or add it to --admission-control, better: drop that deprecated flag).',
    examples: {
      pass: 'command: [kube-apiserver, --enable-admission-plugins=NodeRestriction]',
      fail: 'command: [kube-apiserver, --disable-admission-plugins=PodSecurity]',
    },
  },
  (analysis, a) => {
    if (analysis.enabled.includes('PodSecurity')) return [];
    const disabled = listFlag(a, 'disable-admission-plugins').includes('PodSecurity');
    const flag = disabled ? 'disable-admission-plugins' : 'admission-control';
    return [{
      path: flagLocation(a, flag).path,
      message: disabled
        ? '--disable-admission-plugins turns PodSecurity off: namespace pod-security labels are not enforced; remove it from the list'
        : '--admission-control replaces the default plugins and does not list PodSecurity: namespace pod-security labels are not enforced; add it',
    }];
  },
);
