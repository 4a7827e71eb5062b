import { PSA_CONTAINERS } from '../covered-containers.js';
import { PSS_SINCE, isAtLeast } from '../../analysis/pod/pss-version.js';
import { containerSecurityContext, containerSecurityContextPath, runsInUserNamespace } from '../../analysis/pod/security-context.js';
import type { PodTarget } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck, Violation } from '../types.js';
import { policyVersion, show } from './support.js';
import { containerName, removeFieldFix } from '../../analysis/pod/containers.js';

/** One violation per container whose procMount is set to anything but Default. */
export function nonDefaultProcMounts(pod: PodTarget): Violation[] {
  const violations: Violation[] = [];
  for (const ref of containersOf(pod)) {
    const procMount = containerSecurityContext(ref)?.procMount;
    if (procMount === undefined || procMount === null || procMount === 'Default') continue;
    const path = [...containerSecurityContextPath(ref), 'procMount'];
    violations.push({
      path,
      message: `${containerName(ref)} sets securityContext.procMount to ${show(procMount)}; remove it or set it to Default`,
      fix: [removeFieldFix(path)],
    });
  }
  return violations;
}

export const containerDefaultProcMount: PodCheck = {
  id: 'container-default-proc-mount',
  title: 'Containers keep the default /proc masks',
  severity: 'medium',
  category: 'pod-security',
  controls: ['pss:baseline/procMount'],
  pss: { level: 'baseline', check: 'procMount', overriddenBy: 'procMount_restricted' },
  rationale:
    'The default /proc mount masks kernel interfaces a container should not reach. procMount: Unmasked removes ' +
    'those masks; inside a user namespace (hostUsers: false) that exposes nothing of the host, so baseline allows it there from policy v1.35.',
  remediation: 'Remove securityContext.procMount (or set it to Default), or run the pod in a user namespace with spec.hostUsers: false.',
  appliesTo: 'containers of pod specs (init, regular and ephemeral)',
  containers: PSA_CONTAINERS,
  scope: 'pod',
  examples: {
    pass: 'securityContext:\n  procMount: Default',
    fail: 'securityContext:\n  procMount: Unmasked',
  },
  evaluate(pod, ctx) {
    if (isAtLeast(policyVersion(ctx), PSS_SINCE.userNamespaceRelaxation) && runsInUserNamespace(pod)) return [];
    return nonDefaultProcMounts(pod);
  },
};
