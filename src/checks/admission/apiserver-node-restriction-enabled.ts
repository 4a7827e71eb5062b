import { apiServerAdmissionCheck, flagLocation, listFlag, setFlagFix } from './apiserver-admission.js';

export const apiServerNodeRestrictionEnabled = apiServerAdmissionCheck(
  {
    id: 'apiserver-node-restriction-enabled',
    title: 'The NodeRestriction admission plugin is on',
    severity: 'high',
    controls: ['cis:1.2.14'],
    rationale:
      'NodeRestriction limits each kubelet to modifying its own Node object and the Pods bound to it, and stops kubelets ' +
      'from setting node-restriction labels. Without it a compromised node can relabel or taint other nodes and attract ' +
      'sensitive workloads. It is off unless enabled.',
    remediation: 'Add NodeRestriction to --enable-admission-plugins (and keep Node in --authorization-mode).',
    examples: {
      pass: 'command: [kube-apiserver, --enable-admission-plugins=NodeRestriction]',
      fail: 'command: [kube-apiserver]',
    },
  },
  (analysis, a) => {
    if (analysis.enabled.includes('NodeRestriction')) return [];
    if (a.flags.has('admission-control')) {
      return [{ path: flagLocation(a, 'admission-control').path, message: '--admission-control does not list NodeRestriction; add it (better: replace the deprecated flag with --enable-admission-plugins=NodeRestriction)' }];
    }
    if (listFlag(a, 'disable-admission-plugins').includes('NodeRestriction')) {
      return [{ path: flagLocation(a, 'disable-admission-plugins').path, message: '--disable-admission-plugins turns NodeRestriction off; remove it there and add it to --enable-admission-plugins' }];
    }
    const current = listFlag(a, 'enable-admission-plugins');
    return [{
      path: flagLocation(a, 'enable-admission-plugins').path,
      message: current.length
        ? `--enable-admission-plugins (${current.join(',')}) does not include NodeRestriction, which is off by default; add it`
        : 'NodeRestriction is off by default and --enable-admission-plugins is not set; add --enable-admission-plugins=NodeRestriction',
      fix: setFlagFix(a, 'enable-admission-plugins', [...current, 'NodeRestriction'].join(',')),
    }];
  },
);
