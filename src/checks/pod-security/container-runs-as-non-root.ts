import { PSA_CONTAINERS } from '../covered-containers.js';
import { PSS_SINCE, isAtLeast } from '../../analysis/pod/pss-version.js';
import { runsInUserNamespace } from '../../analysis/pod/security-context.js';
import type { PodCheck } from '../types.js';
import { policyVersion, requiredSettingViolations } from './support.js';

export const containerRunsAsNonRoot: PodCheck = {
  id: 'container-runs-as-non-root',
  title: 'Containers must run as non-root (runAsNonRoot: true)',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:restricted/runAsNonRoot', 'cis:5.2.7', 'nsa:P1'],
  pss: { level: 'restricted', check: 'runAsNonRoot' },
  rationale:
    'With runAsNonRoot: true the kubelet refuses to start a container whose user is root (UID 0), so an image ' +
    'that runs as root cannot slip through. Root in a container is root on the node\'s kernel, one bug away from the node.',
  remediation:
    'Set spec.securityContext.runAsNonRoot: true at the pod level (it covers every container) and do not set it ' +
    'to false anywhere; from policy v1.35, pods with spec.hostUsers: false are exempt.',
  appliesTo: 'pod and container securityContext.runAsNonRoot',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'spec:\n  securityContext:\n    runAsNonRoot: true',
    fail: 'spec:\n  containers:\n  - name: app   # neither the pod nor the container sets runAsNonRoot: true',
  },
  evaluate(pod, ctx) {
    if (isAtLeast(policyVersion(ctx), PSS_SINCE.userNamespaceRelaxation) && runsInUserNamespace(pod)) return [];
    return requiredSettingViolations(pod, {
      field: 'runAsNonRoot',
      isAllowed: (value) => value === true,
      fixValue: true,
      badValue: () => 'sets securityContext.runAsNonRoot: false; set it to true',
      missing: 'sets runAsNonRoot: true; set spec.securityContext.runAsNonRoot: true',
      missingRemediation:
        'Set spec.securityContext.runAsNonRoot: true at the pod level, which covers every container (or ' +
        'securityContext.runAsNonRoot: true on this container), and make sure the image runs as a non-zero UID.',
    });
  },
};
