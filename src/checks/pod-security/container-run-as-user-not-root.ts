import { PSA_CONTAINERS } from '../covered-containers.js';
import { PSS_SINCE, isAtLeast } from '../../analysis/pod/pss-version.js';
import { runsInUserNamespace, settingsOf } from '../../analysis/pod/security-context.js';
import type { PodCheck } from '../types.js';
import { policyVersion, setter } from './support.js';

export const containerRunAsUserNotRoot: PodCheck = {
  id: 'container-run-as-user-not-root',
  title: 'Pods and containers do not set runAsUser: 0',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:restricted/runAsUser', 'cis:5.2.7', 'nsa:P1'],
  pss: { level: 'restricted', check: 'runAsUser' },
  rationale: 'runAsUser: 0 runs the container as root explicitly, whatever the image says.',
  remediation:
    'Set runAsUser to a non-zero UID (for example 10001), or remove it and let runAsNonRoot: true enforce a ' +
    'non-root image user; from policy v1.35, pods with spec.hostUsers: false are exempt.',
  appliesTo: 'pod and container securityContext.runAsUser (policy v1.23 and later)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  runAsUser: 10001',
    fail: 'securityContext:\n  runAsUser: 0',
  },
  evaluate(pod, ctx) {
    const version = policyVersion(ctx);
    if (!isAtLeast(version, PSS_SINCE.runAsUser)) return [];
    if (isAtLeast(version, PSS_SINCE.userNamespaceRelaxation) && runsInUserNamespace(pod)) return [];
    return settingsOf(pod, 'runAsUser')
      .filter((s) => s.value === 0)
      .map((s) => ({
        path: s.path,
        message: `${setter(s)} sets securityContext.runAsUser: 0 (root); use a non-zero UID such as 10001`,
      }));
  },
};
