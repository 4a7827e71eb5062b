// Pod Security Standards policy versions (`latest` or `v1.N`), as the Pod Security Admission
// library parses and compares them, and the table of what changed at which version
// (spec/pss.md, "Version change summary"). Every version rule of the PSS checks lives here,
// so the table can be read in one place.

/** The newest policy version the checks implement (library commit 8f84a87c). */
export const LATEST_PSS_MINOR = 37;

/** A parsed policy version: always major 1, so only the minor number matters. */
export interface PssVersion {
  minor: number;
  /** How the user wrote it, for messages. */
  text: string;
}

/**
 * Parses `latest` or `v1.N` exactly as the library does (the `v` is required; no patch part).
 * A version newer than the newest known one behaves as `latest`, as in the library.
 */
export function parsePssVersion(text: string): PssVersion | undefined {
  if (text === 'latest') return { minor: LATEST_PSS_MINOR, text };
  const m = /^v1\.(0|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  return { minor: Math.min(Number(m[1]), LATEST_PSS_MINOR), text };
}

/** Like parsePssVersion, but an invalid version is an error with a message for the user. */
export function requirePssVersion(text: string): PssVersion {
  const version = parsePssVersion(text);
  if (!version) throw new Error(`invalid Pod Security Standards version "${text}": expected "latest" or "v1.N" (e.g. v1.30)`);
  return version;
}

/** Policy version at which each versioned behaviour starts (minor of v1.N). */
export const PSS_SINCE = {
  /** restricted allowPrivilegeEscalation applies */
  allowPrivilegeEscalation: 8,
  /** seccomp is judged on seccompProfile.type instead of annotations; restricted seccomp applies */
  seccompFields: 19,
  /** restricted capabilities_restricted (drop ALL, add only NET_BIND_SERVICE) applies */
  capabilitiesRestricted: 22,
  /** restricted runAsUser (non-zero) applies */
  runAsUser: 23,
  /** restricted seccomp, capabilities and allowPrivilegeEscalation skip pods with spec.os.name: windows */
  windowsExemption: 25,
  /** SELinux type container_engine_t allowed */
  seLinuxContainerEngineType: 31,
  /** baseline hostProbesAndHostLifecycle applies */
  hostProbesAndHostLifecycle: 34,
  /** spec.hostUsers: false relaxes baseline procMount, restricted runAsNonRoot and runAsUser */
  userNamespaceRelaxation: 35,
} as const;

/** Whether the behaviour that starts at `since` (a minor version) is in force at `version`. */
export function isAtLeast(version: PssVersion, since: number): boolean {
  return version.minor >= since;
}

/** Sysctls baseline allows, by the policy version that added them. */
const SAFE_SYSCTLS_BY_VERSION: { since: number; names: string[] }[] = [
  {
    since: 0,
    names: [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.ip_unprivileged_port_start',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
    ],
  },
  { since: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  {
    since: 29,
    names: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
  },
  { since: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { since: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

/** The sysctl names baseline allows at a policy version. */
export function safeSysctlsAt(version: PssVersion): Set<string> {
  return new Set(SAFE_SYSCTLS_BY_VERSION.filter((s) => isAtLeast(version, s.since)).flatMap((s) => s.names));
}

/** SELinux types baseline allows at a policy version ("" is the same as unset). */
export function allowedSeLinuxTypesAt(version: PssVersion): Set<string> {
  const types = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
  if (isAtLeast(version, PSS_SINCE.seLinuxContainerEngineType)) types.push('container_engine_t');
  return new Set(types);
}
