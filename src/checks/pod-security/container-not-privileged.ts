import { PSA_CONTAINERS } from '../covered-containers.js';
import { containerSecurityContext, containerSecurityContextPath } from '../../analysis/pod/security-context.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck } from '../types.js';
import { containerName, setFieldFix } from '../../analysis/pod/containers.js';

export const containerNotPrivileged: PodCheck = {
  id: 'container-not-privileged',
  title: 'Containers are not privileged',
  severity: 'critical',
  category: 'pod-security',
  controls: ['pss:baseline/privileged', 'cis:5.2.2', 'nsa:P4'],
  pss: { level: 'baseline', check: 'privileged' },
  rationale:
    'A privileged container has every capability and every host device, with no seccomp, AppArmor or SELinux ' +
    'confinement: escaping to the node is trivial.',
  remediation: 'Remove securityContext.privileged (or set it to false) on every container; add only the specific capabilities it needs.',
  appliesTo: 'containers of pod specs (init, regular and ephemeral)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'containers:\n- name: app\n  securityContext:\n    privileged: false',
    fail: 'containers:\n- name: app\n  securityContext:\n    privileged: true',
  },
  evaluate(pod) {
    return containersOf(pod)
      .filter((ref) => containerSecurityContext(ref)?.privileged === true)
      .map((ref) => {
        const path = [...containerSecurityContextPath(ref), 'privileged'];
        return {
          path,
          message: `${containerName(ref)} sets securityContext.privileged: true; remove it or set it to false`,
          fix: [setFieldFix(pod.object, path, false)],
        };
      });
  },
};
