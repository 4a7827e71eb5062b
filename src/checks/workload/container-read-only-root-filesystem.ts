import { coveredContainers } from '../covered-containers.js';
import { isMapping, jsonPointer } from '../../inventory/model.js';
import type { PodCheck } from '../types.js';

export const containerReadOnlyRootFilesystem: PodCheck = {
  id: 'container-read-only-root-filesystem',
  title: 'Containers run with a read-only root filesystem',
  severity: 'low',
  category: 'workload',
  controls: ['nsa:P3', 'cis:5.6.3'],
  rationale:
    'An attacker who gets code execution in a container with a writable root filesystem can drop tools and ' +
    'change binaries. The NSA/CISA guidance asks for immutable container filesystems, with writable paths ' +
    'mounted explicitly as emptyDir volumes.',
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true on the container, and mount an emptyDir volume at each ' +
    'path the application must write (for example /tmp).',
  appliesTo: 'init and regular containers of pod specs (Pods and every workload template)',
  containers: {
    covers: ['initContainers', 'containers'],
    why: 'ephemeral containers are debugging aids added to a running pod, where installing tools needs a writable filesystem; they are not part of the workload',
  },
  scope: 'pod',
  examples: {
    pass: 'containers:\n- name: app\n  image: registry.example/app:1.2.3\n  securityContext:\n    readOnlyRootFilesystem: true',
    fail: 'containers:\n- name: app\n  image: registry.example/app:1.2.3',
  },
  evaluate(pod) {
    return coveredContainers(pod, containerReadOnlyRootFilesystem)
      .filter((c) => !(isMapping(c.container.securityContext) && c.container.securityContext.readOnlyRootFilesystem === true))
      .map((c) => {
        const sc = c.container.securityContext;
        const value = isMapping(sc) ? sc.readOnlyRootFilesystem : undefined;
        return {
          path: [...c.path, 'securityContext', 'readOnlyRootFilesystem'],
          message:
            value === false
              ? `container "${c.name}" sets readOnlyRootFilesystem: false; set it to true`
              : `container "${c.name}" does not set securityContext.readOnlyRootFilesystem: true`,
          fix: [
            isMapping(sc)
              ? { op: 'add' as const, path: jsonPointer([...c.path, 'securityContext', 'readOnlyRootFilesystem']), value: true }
              : { op: 'add' as const, path: jsonPointer([...c.path, 'securityContext']), value: { readOnlyRootFilesystem: true } },
          ],
        };
      });
  },
};
