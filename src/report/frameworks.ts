// The editions of the frameworks kubeharden implements, as people name them: what `kubeharden
// version` prints and what a PolicyReport result's category says.

import { LATEST_PSS_MINOR } from '../analysis/pod/pss-version.js';

export const FRAMEWORK_EDITIONS = {
  cis: { name: 'CIS Kubernetes Benchmark', version: 'v1.12' },
  nsa: { name: 'NSA/CISA Kubernetes Hardening Guidance', version: '1.2' },
  pss: { name: 'Pod Security Standards', version: `latest = v1.${LATEST_PSS_MINOR}` },
} as const;

export type FrameworkKey = keyof typeof FRAMEWORK_EDITIONS;

/**
 * A control reference `cis:5.2.6`, `nsa:P3`, `pss:restricted/runAsNonRoot` as a category and a
 * rule: ("CIS Kubernetes Benchmark v1.12", "5.2.6"), ("Pod Security Standards (restricted)",
 * "runAsNonRoot").
 */
export function controlAsCategoryAndRule(control: string): { category: string; rule: string } | undefined {
  const m = /^([a-z]+):(.+)$/.exec(control);
  if (!m) return undefined;
  const [, fw, id] = m as unknown as [string, string, string];
  if (fw === 'cis') return { category: `${FRAMEWORK_EDITIONS.cis.name} ${FRAMEWORK_EDITIONS.cis.version}`, rule: id };
  if (fw === 'nsa') return { category: `${FRAMEWORK_EDITIONS.nsa.name} ${FRAMEWORK_EDITIONS.nsa.version}`, rule: id };
  if (fw === 'pss') {
    const [level, check] = id.split('/', 2);
    return check ? { category: `${FRAMEWORK_EDITIONS.pss.name} (${level})`, rule: check } : { category: FRAMEWORK_EDITIONS.pss.name, rule: id };
  }
  return undefined;
}
