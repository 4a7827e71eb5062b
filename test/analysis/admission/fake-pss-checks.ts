// TEST DOUBLES — not the Pod Security Standards. Four tiny stand-ins for the real PSS checks
// (src/checks/pss/, written on another branch), shaped like them (PodCheck with `pss` metadata,
// one baseline check overridden by a restricted one), so the PSA preview and label proposal
// can be tested here. The real checks are tested against conformance/pss where they live.

import { containersOf } from '../../../src/inventory/pod-specs.js';
import { isMapping } from '../../../src/inventory/model.js';
import type { PodCheck } from '../../../src/checks/types.js';

const meta = { severity: 'high' as const, category: 'pod-security' as const, controls: [], rationale: 'test double', remediation: 'test double', appliesTo: 'pods' };
const sc = (c: Record<string, unknown>) => (isMapping(c.securityContext) ? c.securityContext : {});

export const fakePrivileged: PodCheck = {
  ...meta, id: 'fake-privileged', title: 'fake privileged', scope: 'pod', pss: { level: 'baseline', check: 'privileged' },
  evaluate: (pod) => containersOf(pod).filter((c) => sc(c.container).privileged === true).map((c) => ({ path: [...c.path, 'securityContext', 'privileged'], message: `container "${c.name}" is privileged` })),
};

export const fakeCapabilitiesBaseline: PodCheck = {
  ...meta, id: 'fake-capabilities-baseline', title: 'fake caps baseline', scope: 'pod', pss: { level: 'baseline', check: 'capabilities_baseline', overriddenBy: 'capabilities_restricted' },
  evaluate: (pod) => containersOf(pod).filter((c) => JSON.stringify(sc(c.container).capabilities ?? {}).includes('SYS_ADMIN')).map((c) => ({ path: [...c.path, 'securityContext', 'capabilities'], message: `container "${c.name}" adds SYS_ADMIN` })),
};

export const fakeCapabilitiesRestricted: PodCheck = {
  ...meta, id: 'fake-capabilities-restricted', title: 'fake caps restricted', scope: 'pod', pss: { level: 'restricted', check: 'capabilities_restricted' },
  evaluate: (pod) => containersOf(pod).filter((c) => !JSON.stringify(sc(c.container).capabilities ?? {}).includes('"drop":["ALL"]')).map((c) => ({ path: [...c.path, 'securityContext', 'capabilities'], message: `container "${c.name}" does not drop ALL` })),
};

export const fakeRunAsNonRoot: PodCheck = {
  ...meta, id: 'fake-run-as-non-root', title: 'fake runAsNonRoot', scope: 'pod', pss: { level: 'restricted', check: 'runAsNonRoot' },
  evaluate: (pod) => (isMapping(pod.spec.securityContext) && pod.spec.securityContext.runAsNonRoot === true ? [] : [{ path: [...pod.specPath, 'securityContext', 'runAsNonRoot'], message: 'pod does not set runAsNonRoot: true' }]),
};

export const FAKE_PSS_CHECKS = [fakePrivileged, fakeCapabilitiesBaseline, fakeCapabilitiesRestricted, fakeRunAsNonRoot];
