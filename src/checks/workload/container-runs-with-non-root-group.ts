import { EVERY_CONTAINER } from '../covered-containers.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { isMapping, type PathSegment } from '../../inventory/model.js';
import type { PodCheck, Violation } from '../types.js';
import { isWindowsPod, resolveField } from '../../analysis/pod/security-context.js';

export const containerRunsWithNonRootGroup: PodCheck = {
  id: 'container-runs-with-non-root-group',
  title: 'Containers run with a non-root group',
  severity: 'low',
  category: 'workload',
  controls: ['nsa:P2'],
  rationale:
    'A process whose primary group is root (GID 0), or that carries GID 0 as a supplementary or volume ' +
    'group, can read and write every file owned by group root — in the image, in mounted volumes, and on ' +
    'the host after an escape. The NSA/CISA guidance asks for non-root groups as well as non-root users. ' +
    'Without runAsGroup the container runs with the group the image sets, root (GID 0) when it sets none. ' +
    'Windows pods (spec.os.name: windows) are skipped: they cannot set these fields.',
  remediation:
    'Set spec.securityContext.runAsGroup to a non-zero GID (or on each container), and keep fsGroup and ' +
    'supplementalGroups non-zero when you set them.',
  appliesTo: 'containers of Linux pod specs (Pods and every workload template)',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  examples: {
    pass: 'spec:\n  securityContext: {runAsGroup: 10001, fsGroup: 10001}\n  containers:\n  - {name: app, image: registry.example/app:1.2.3}',
    fail: 'spec:\n  securityContext: {runAsGroup: 0}\n  containers:\n  - {name: app, image: registry.example/app:1.2.3}',
  },
  evaluate(pod) {
    if (isWindowsPod(pod)) return [];
    const violations: Violation[] = [];
    const podSc = isMapping(pod.spec.securityContext) ? pod.spec.securityContext : {};
    const podScPath: PathSegment[] = [...pod.specPath, 'securityContext'];
    const inheritingRoot: string[] = [];

    for (const c of containersOf(pod)) {
      const group = resolveField(pod, c, 'runAsGroup');
      const gid = typeof group.value === 'number' ? group.value : undefined;
      if (group.origin === 'container' && gid !== undefined && gid <= 0) {
        violations.push({ path: group.path, message: `container "${c.name}" sets runAsGroup: ${gid}; use a non-zero group id` });
      } else if (group.origin === 'pod' && gid !== undefined && gid <= 0) {
        inheritingRoot.push(c.name);
      } else if (group.origin === 'unset') {
        violations.push({
          path: group.path,
          message: `container "${c.name}" has no runAsGroup (neither it nor the pod sets one), so it runs with the group the image sets, root (GID 0) when it sets none; set a non-zero runAsGroup`,
        });
      }
    }
    if (inheritingRoot.length) {
      violations.push({
        path: [...podScPath, 'runAsGroup'],
        message: `pod sets runAsGroup: ${podSc.runAsGroup}, which containers ${inheritingRoot.map((n) => `"${n}"`).join(', ')} inherit; use a non-zero group id`,
      });
    }
    if (typeof podSc.fsGroup === 'number' && podSc.fsGroup <= 0) {
      violations.push({ path: [...podScPath, 'fsGroup'], message: `pod sets fsGroup: ${podSc.fsGroup}, so its volumes are owned by the root group; use a non-zero group id` });
    }
    if (Array.isArray(podSc.supplementalGroups)) {
      podSc.supplementalGroups.forEach((gid, i) => {
        if (typeof gid === 'number' && gid <= 0) {
          violations.push({ path: [...podScPath, 'supplementalGroups', i], message: `pod adds supplemental group ${gid} (root); remove it` });
        }
      });
    }
    return violations;
  },
};
