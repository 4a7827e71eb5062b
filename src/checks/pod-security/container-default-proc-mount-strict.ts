import { PSA_CONTAINERS } from '../covered-containers.js';
import type { PodCheck } from '../types.js';
import { nonDefaultProcMounts } from './container-default-proc-mount.js';

export const containerDefaultProcMountStrict: PodCheck = {
  id: 'container-default-proc-mount-strict',
  title: 'Containers keep the default /proc masks, even in a user namespace',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:restricted/procMount_restricted'],
  pss: { level: 'restricted', check: 'procMount_restricted' },
  rationale:
    'Restricted keeps the default /proc masks for every pod, including pods in a user namespace, as defence in depth.',
  remediation: 'Remove securityContext.procMount (or set it to Default) on every container.',
  appliesTo: 'containers of pod specs (init, regular and ephemeral)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  procMount: Default',
    fail: 'spec:\n  hostUsers: false\n  containers:\n  - name: app\n    securityContext:\n      procMount: Unmasked',
  },
  // The library adds this check at v1.35, when baseline procMount became lenient for user-namespace
  // pods; below v1.35 baseline procMount is strict and gives the same verdict. The engine replaces
  // procMount with this check at every restricted version, so it is strict at every version.
  evaluate(pod) {
    return nonDefaultProcMounts(pod);
  },
};
