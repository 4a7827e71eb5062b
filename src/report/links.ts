// Where kubeharden's documentation lives on the web, for reports that link to it (SARIF helpUri,
// PolicyReport properties). One place, so every report links to the same pages.

export const REPOSITORY_URL = 'https://github.com/kubeharden/kubeharden';

/** The generated docs page of a check, at the tag of the version that produced the report. */
export function checkDocUrl(checkId: string, version: string): string {
  const ref = /^\d+\.\d+\.\d+/.test(version) && version !== '0.0.0' ? `v${version}` : 'main';
  return `${REPOSITORY_URL}/blob/${ref}/docs/checks/${encodeURIComponent(checkId)}.md`;
}
