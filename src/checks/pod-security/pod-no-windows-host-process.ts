import { settingsOf } from '../../analysis/pod/security-context.js';
import type { PodCheck } from '../types.js';
import { setter } from './support.js';
import { setFieldFix } from '../../analysis/pod/containers.js';

export const podNoWindowsHostProcess: PodCheck = {
  id: 'pod-no-windows-host-process',
  title: 'Pods do not run Windows HostProcess containers',
  severity: 'critical',
  category: 'pod-security',
  controls: ['pss:baseline/windowsHostProcess', 'cis:5.2.10'],
  pss: { level: 'baseline', check: 'windowsHostProcess' },
  rationale:
    'A Windows HostProcess container runs directly on the node with the host network and filesystem, ' +
    'as a privileged user: it is full access to the Windows node.',
  remediation:
    'Remove securityContext.windowsOptions.hostProcess (or set it to false) at the pod level and on every container.',
  appliesTo: 'pod specs (Pods and every workload template)',
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  windowsOptions:\n    hostProcess: false',
    fail: 'securityContext:\n  windowsOptions:\n    hostProcess: true',
  },
  evaluate(pod) {
    return settingsOf(pod, 'windowsHostProcess')
      .filter((s) => s.value === true)
      .map((s) => ({
        path: s.path,
        message: `${setter(s)} sets securityContext.windowsOptions.hostProcess: true; remove it or set it to false`,
        fix: [setFieldFix(pod.object, s.path, false)],
      }));
  },
};
