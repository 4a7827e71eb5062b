// kube-score's and checkov's (CKV_K8S_40) rule: run as a user and group id of 10000 or more, so
// that a container escape lands on an id no host account uses. Opt-in: it is a policy choice,
// and an image's numeric user can only be judged when the manifest states it.

import { isWindowsPod, resolveField } from '../../analysis/pod/security-context.js';
import { EVERY_CONTAINER, coveredContainers } from '../covered-containers.js';
import type { PodCheck, Violation } from '../types.js';

export const HIGH_ID_MIN = 10000;

export const containerRunsWithHighUid: PodCheck = {
  id: 'container-runs-with-high-uid',
  title: `Containers run with a user and group id of ${HIGH_ID_MIN} or more (policy, opt-in)`,
  severity: 'low',
  category: 'workload',
  controls: ['nsa:P1', 'nsa:P2'],
  rationale:
    'Host accounts use low ids (system users below 1000, people from 1000). A container process that escapes with a ' +
    `low id may match a host account and its files; ids of ${HIGH_ID_MIN} and more do not.`,
  remediation: `Set securityContext.runAsUser and runAsGroup to ${HIGH_ID_MIN} or more (pod or container level), and build the image for that user.`,
  appliesTo: 'the effective runAsUser and runAsGroup of every container of Linux pod specs',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  optIn: true,
  examples: { pass: 'securityContext:\n  runAsUser: 10001\n  runAsGroup: 10001', fail: 'securityContext:\n  runAsUser: 1000' },
  evaluate(pod) {
    if (isWindowsPod(pod)) return [];
    const out: Violation[] = [];
    for (const c of coveredContainers(pod, containerRunsWithHighUid)) {
      for (const field of ['runAsUser', 'runAsGroup'] as const) {
        const setting = resolveField(pod, c, field);
        const value = setting.value;
        if (typeof value === 'number' && value >= HIGH_ID_MIN) continue;
        out.push({
          path: setting.path,
          message:
            typeof value === 'number'
              ? `container "${c.name}" runs with ${field} ${value}, below ${HIGH_ID_MIN}`
              : `container "${c.name}" does not set ${field}, so the image decides it; set ${HIGH_ID_MIN} or more`,
        });
      }
    }
    return out;
  },
};
