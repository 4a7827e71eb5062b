// Where a check's documentation page lives on the web (the pages docs/checks/ generated from
// its metadata), at the tag of the version that produced the Result.

export const REPOSITORY_URL = 'https://github.com/kubeharden/kubeharden';

/** The generated docs page of a check: at the release tag for a release version, else on main. */
export function checkDocsUrl(checkId: string, version: string): string {
  const ref = /^\d+\.\d+\.\d+/.test(version) && version !== '0.0.0' ? `v${version}` : 'main';
  return `${REPOSITORY_URL}/blob/${ref}/docs/checks/${encodeURIComponent(checkId)}.md`;
}
