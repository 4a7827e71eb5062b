import { PSA_CONTAINERS } from '../covered-containers.js';
import { PSS_SINCE, isAtLeast } from '../../analysis/pod/pss-version.js';
import { isWindowsPod } from '../../analysis/pod/security-context.js';
import { jsonPointer } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck, Violation } from '../types.js';
import { containerAddsOnlyBaselineCapabilities } from './container-adds-only-baseline-capabilities.js';
import { policyVersion, show } from './support.js';
import { capabilityList, containerName, setFieldFix } from '../../analysis/pod/containers.js';

export const containerDropsAllCapabilities: PodCheck = {
  id: 'container-drops-all-capabilities',
  title: 'Containers drop ALL capabilities and add back at most NET_BIND_SERVICE',
  // It replaces container-adds-only-baseline-capabilities at the restricted level, so dangerous
  // added capabilities keep their severity.
  severity: 'high',
  category: 'pod-security',
  controls: ['pss:restricted/capabilities_restricted', 'cis:5.2.8', 'cis:5.2.9', 'nsa:P10'],
  pss: { level: 'restricted', check: 'capabilities_restricted' },
  rationale:
    'Container runtimes grant a default set of capabilities (NET_RAW, CHOWN, SETUID…) that most applications do ' +
    'not need and attackers use. Dropping ALL removes them; NET_BIND_SERVICE is the one restricted lets you add back.',
  remediation:
    'Set securityContext.capabilities.drop: ["ALL"] (upper case) on every container and add back only ' +
    'NET_BIND_SERVICE if the container binds a port below 1024. Windows pods are exempt from policy v1.25.',
  appliesTo: 'containers of Linux pod specs (policy v1.22 and later)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  capabilities:\n    drop: [ALL]\n    add: [NET_BIND_SERVICE]',
    fail: 'securityContext:\n  capabilities:\n    drop: [NET_RAW]',
  },
  evaluate(pod, ctx) {
    const version = policyVersion(ctx);
    // Below v1.22 the library runs the baseline capability check at restricted instead of this one.
    if (!isAtLeast(version, PSS_SINCE.capabilitiesRestricted)) return containerAddsOnlyBaselineCapabilities.evaluate(pod, ctx);
    if (isAtLeast(version, PSS_SINCE.windowsExemption) && isWindowsPod(pod)) return [];
    const violations: Violation[] = [];
    for (const ref of containersOf(pod)) {
      const drop = capabilityList(ref, 'drop');
      if (!drop.entries.includes('ALL')) {
        const hasDropList = drop.entries.length > 0;
        violations.push({
          path: drop.path,
          message: hasDropList
            ? `${containerName(ref)} drops ${drop.entries.map(show).join(', ')} but not "ALL"; add "ALL" (upper case) to securityContext.capabilities.drop`
            : `${containerName(ref)} does not set securityContext.capabilities.drop: ["ALL"]`,
          fix: [hasDropList ? { op: 'add', path: jsonPointer([...drop.path, '-']), value: 'ALL' } : setFieldFix(pod.object, drop.path, ['ALL'])],
        });
      }
      const add = capabilityList(ref, 'add');
      add.entries.forEach((cap, i) => {
        if (cap === 'NET_BIND_SERVICE') return;
        violations.push({
          path: [...add.path, i],
          message: `${containerName(ref)} adds capability ${show(cap)}; restricted allows adding only NET_BIND_SERVICE — remove it from securityContext.capabilities.add`,
        });
      });
    }
    return violations;
  },
};
