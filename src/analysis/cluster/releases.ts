// Upstream Kubernetes releases and their end of life, kept as data with the date it was
// taken. Sources: kubernetes/website data/releases/eol.yaml (ended branches, with their actual
// end-of-life dates) and kubernetes.io/releases/1.N (the scheduled end of life of supported
// branches). A minor newer than the table is not judged: the table is then out of date.

/** When the table below was last brought up to date (the 1.37.1 patch release). */
export const RELEASE_TABLE_DATE = '2026-09-15';

/** Minor release → its end-of-life date (YYYY-MM-DD), upstream. */
export const END_OF_LIFE: Readonly<Record<string, string>> = {
  '1.19': '2021-10-28',
  '1.20': '2022-02-28',
  '1.21': '2022-06-28',
  '1.22': '2022-12-08',
  '1.23': '2023-02-28',
  '1.24': '2023-07-28',
  '1.25': '2023-10-28',
  '1.26': '2024-02-28',
  '1.27': '2024-07-16',
  '1.28': '2024-10-22',
  '1.29': '2025-02-28',
  '1.30': '2025-07-15',
  '1.31': '2025-11-11',
  '1.32': '2026-02-28',
  '1.33': '2026-06-28',
  '1.34': '2026-10-27',
  '1.35': '2027-02-28',
  '1.36': '2027-06-28',
  '1.37': '2027-10-28',
};

const OLDEST_IN_TABLE = 19;
const NEWEST_IN_TABLE = 37;

export interface KubernetesVersion {
  major: number;
  minor: number;
  patch: number;
  /** A suffix after the patch (`-gke.1200`, `-eks-…`, `+k3s1`): a provider's build, which may be supported longer. */
  vendorBuild: boolean;
  text: string;
}

/** "v1.31.4-gke.1200" → 1.31.4, a vendor build; undefined when it is not a version. */
export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(.*)$/.exec(text.trim());
  if (!m) return undefined;
  // Pre-releases (-alpha.1, -rc.0) are upstream builds, not vendor ones.
  const suffix = m[4] ?? '';
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), vendorBuild: suffix !== '' && !/^-(alpha|beta|rc)\.\d+/.test(suffix), text };
}

export type SupportStatus =
  | { status: 'supported'; endOfLife: string }
  | { status: 'ended'; endOfLife: string }
  | { status: 'unknown'; reason: string };

/** Whether a minor release was upstream-supported on a day (YYYY-MM-DD). */
export function upstreamSupport(version: KubernetesVersion, day: string): SupportStatus {
  if (version.major !== 1) return { status: 'unknown', reason: `${version.text} is not a Kubernetes 1.x version` };
  if (version.minor > NEWEST_IN_TABLE) {
    return { status: 'unknown', reason: `1.${version.minor} is newer than kubeharden's release table (dated ${RELEASE_TABLE_DATE}); update kubeharden to judge it` };
  }
  if (version.minor < OLDEST_IN_TABLE) return { status: 'ended', endOfLife: END_OF_LIFE[`1.${OLDEST_IN_TABLE}`]! };
  const endOfLife = END_OF_LIFE[`1.${version.minor}`]!;
  return day > endOfLife ? { status: 'ended', endOfLife } : { status: 'supported', endOfLife };
}

/** The oldest minor upstream still supported on a day (YYYY-MM-DD). */
export function oldestSupportedMinor(day: string): string | undefined {
  return Object.entries(END_OF_LIFE).find(([, eol]) => eol >= day)?.[0];
}

/** "the release table of 2026-09-15, 68 days before" — how old the table was when it was used. */
export function describeTableAge(day: string): string {
  const days = Math.round((Date.parse(day) - Date.parse(RELEASE_TABLE_DATE)) / 86_400_000);
  if (days <= 0) return `kubeharden's release table of ${RELEASE_TABLE_DATE}`;
  return `kubeharden's release table of ${RELEASE_TABLE_DATE}, ${days} day${days === 1 ? '' : 's'} older than the scan`;
}
