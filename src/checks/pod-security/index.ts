import type { Check } from '../types.js';
import { podNoWindowsHostProcess } from './pod-no-windows-host-process.js';
import { podNoHostNamespaces } from './pod-no-host-namespaces.js';
import { containerNotPrivileged } from './container-not-privileged.js';
import { containerAddsOnlyBaselineCapabilities } from './container-adds-only-baseline-capabilities.js';
import { podNoHostPathVolumes } from './pod-no-host-path-volumes.js';
import { containerNoHostPorts } from './container-no-host-ports.js';
import { containerProbesAndHooksWithoutHost } from './container-probes-and-hooks-without-host.js';
import { podAppArmorNotUnconfined } from './pod-apparmor-not-unconfined.js';
import { podSeLinuxOptionsAllowed } from './pod-selinux-options-allowed.js';
import { containerDefaultProcMount } from './container-default-proc-mount.js';
import { podSeccompNotUnconfined } from './pod-seccomp-not-unconfined.js';
import { podOnlySafeSysctls } from './pod-only-safe-sysctls.js';
import { podOnlyRestrictedVolumeTypes } from './pod-only-restricted-volume-types.js';
import { containerDisallowsPrivilegeEscalation } from './container-disallows-privilege-escalation.js';
import { containerRunsAsNonRoot } from './container-runs-as-non-root.js';
import { containerRunAsUserNotRoot } from './container-run-as-user-not-root.js';
import { podSeccompProfileSet } from './pod-seccomp-profile-set.js';
import { containerDropsAllCapabilities } from './container-drops-all-capabilities.js';
import { containerDefaultProcMountStrict } from './container-default-proc-mount-strict.js';

/** The Pod Security Standards checks, in the order of spec/pss.md: 12 baseline, then 7 restricted. */
export const pssChecks: Check[] = [
  podNoWindowsHostProcess,
  podNoHostNamespaces,
  containerNotPrivileged,
  containerAddsOnlyBaselineCapabilities,
  podNoHostPathVolumes,
  containerNoHostPorts,
  containerProbesAndHooksWithoutHost,
  podAppArmorNotUnconfined,
  podSeLinuxOptionsAllowed,
  containerDefaultProcMount,
  podSeccompNotUnconfined,
  podOnlySafeSysctls,
  podOnlyRestrictedVolumeTypes,
  containerDisallowsPrivilegeEscalation,
  containerRunsAsNonRoot,
  containerRunAsUserNotRoot,
  podSeccompProfileSet,
  containerDropsAllCapabilities,
  containerDefaultProcMountStrict,
];
