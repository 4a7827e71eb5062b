// The shape the admission checks share: find each kube-apiserver of a static Pod in the
// input, analyse its admission flags (analysis/admission), and point findings at the flag.

import { analyzeAdmission, type AdmissionAnalysis } from '../../analysis/admission/analyze.js';
import { apiServerContainers, type ApiServerContainer } from '../../analysis/admission/apiserver-pod.js';
import type { PathSegment } from '../../inventory/model.js';
import type { CheckMeta, InventoryCheck, Violation } from '../types.js';

const APISERVER_APPLIES_TO = 'kube-apiserver static Pod manifests (command and args of the kube-apiserver container)';

export type AdmissionViolation = Omit<Violation, 'object'>;

export function apiServerAdmissionCheck(
  meta: Omit<CheckMeta, 'appliesTo' | 'category'>,
  question: (analysis: AdmissionAnalysis, apiServer: ApiServerContainer) => AdmissionViolation[],
): InventoryCheck {
  return {
    ...meta,
    category: 'admission',
    appliesTo: APISERVER_APPLIES_TO,
    scope: 'inventory',
    evaluate(inventory) {
      const apiServers = apiServerContainers(inventory.pods);
      if (!apiServers.length) return { skip: 'the input has no kube-apiserver static Pod' };
      const violations = apiServers.flatMap((a) => question(analyzeAdmission(a.flags), a).map((v) => ({ ...v, object: a.pod.object })));
      return { evaluated: apiServers.length, violations };
    },
  };
}

/** Where a flag is written in the container (command or args element), or where it should be added. */
export function flagLocation(a: ApiServerContainer, name: string): { path: PathSegment[]; index?: number; list: 'command' | 'args'; value?: string } {
  const c = a.container.container;
  for (const list of ['args', 'command'] as const) {
    const items = Array.isArray(c[list]) ? (c[list] as unknown[]) : [];
    // The last occurrence is the one that counts.
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (typeof item === 'string' && (item === `--${name}` || item.startsWith(`--${name}=`))) {
        return { path: [...a.container.path, list, i], index: i, list, value: a.flags.get(name) };
      }
    }
  }
  const list = Array.isArray(c.command) && !Array.isArray(c.args) ? 'command' : 'args';
  return { path: [...a.container.path, list], list };
}

/** The list a list flag holds, as written. */
export function listFlag(a: ApiServerContainer, name: string): string[] {
  return (a.flags.get(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
