import { EVERY_CONTAINER } from '../covered-containers.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { isMapping, jsonPointer, type InventoryObject, type PathSegment } from '../../inventory/model.js';
import type { PatchOp } from '../../result/result.js';
import type { PodCheck, Violation } from '../types.js';
import { isWindowsPod } from '../../analysis/pod/security-context.js';
import { capabilityEntries, runtimeCapabilityName, setFieldFix } from '../../analysis/pod/containers.js';

export const containerDropsNetRaw: PodCheck = {
  id: 'container-drops-net-raw',
  title: 'Containers drop NET_RAW',
  severity: 'medium',
  category: 'workload',
  controls: ['cis:5.2.8'],
  subsumedAtRestrictedBy: 'container-drops-all-capabilities',
  rationale:
    'NET_RAW is in the container runtime\'s default capability set, so a container has it unless it drops ' +
    'it. It lets a process craft raw packets: ARP and DNS spoofing of its neighbours on the node\'s pod ' +
    'network, and a path to several kernel exploits. CIS 5.2.8 asks every container to drop NET_RAW (or ' +
    'ALL) and none to add it back (adding ALL adds it back too). A privileged container has every ' +
    'capability whatever it drops, so it fails. Names in drop are compared exactly, as Kubernetes and Pod ' +
    'Security Admission do.',
  remediation:
    'Add NET_RAW (or better, ALL) to securityContext.capabilities.drop, and remove NET_RAW from ' +
    'capabilities.add. Tools that need ping can use the net.ipv4.ping_group_range sysctl instead.',
  appliesTo: 'containers of Linux pod specs (Pods and every workload template)',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  capabilities:\n    drop: [ALL]',
    fail: 'securityContext:\n  capabilities:\n    drop: [NET_ADMIN]',
  },
  evaluate(pod) {
    if (isWindowsPod(pod)) return [];
    const violations: Violation[] = [];
    for (const c of containersOf(pod)) {
      const capsPath = [...c.path, 'securityContext', 'capabilities'];
      const sc = c.container.securityContext;
      if (isMapping(sc) && sc.privileged === true) {
        violations.push({
          path: [...c.path, 'securityContext', 'privileged'],
          message: `container "${c.name}" is privileged, which grants every capability, NET_RAW included, whatever it drops; remove privileged: true`,
        });
        continue;
      }
      const drop = capabilityEntries(c, 'drop');
      if (!drop.some((d) => d.name === 'NET_RAW' || d.name === 'ALL')) {
        const nearMiss = drop.find((d) => ['NET_RAW', 'ALL', 'CAP_NET_RAW'].includes(runtimeCapabilityName(d.name)));
        violations.push({
          path: [...capsPath, 'drop'],
          message: nearMiss
            ? `container "${c.name}" drops "${nearMiss.name}", which Kubernetes does not read as NET_RAW or ALL (names are exact); write ALL`
            : `container "${c.name}" does not drop NET_RAW (or ALL), so it keeps the runtime's default NET_RAW; add ALL to capabilities.drop`,
          fix: [dropAllFix(pod.object, sc, capsPath)],
        });
      }
      for (const { name, index } of capabilityEntries(c, 'add')) {
        const upper = runtimeCapabilityName(name);
        if (upper === 'NET_RAW' || upper === 'CAP_NET_RAW' || upper === 'ALL') {
          violations.push({ path: [...capsPath, 'add', index], message: `container "${c.name}" adds "${name}" back; remove it` });
        }
      }
    }
    return violations;
  },
};

/** Appends ALL to the drop list, creating the fields that are missing. */
function dropAllFix(object: InventoryObject, securityContext: unknown, capsPath: PathSegment[]): PatchOp {
  const caps = isMapping(securityContext) ? securityContext.capabilities : undefined;
  if (isMapping(caps) && Array.isArray(caps.drop)) return { op: 'add', path: jsonPointer([...capsPath, 'drop', '-']), value: 'ALL' };
  return setFieldFix(object, [...capsPath, 'drop'], ['ALL']);
}
