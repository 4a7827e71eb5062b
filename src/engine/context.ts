import type { CheckContext } from '../checks/types.js';
import type { PssLevel } from '../result/result.js';
import type { Inventory } from '../inventory/inventory.js';
import type { PodTarget } from '../inventory/model.js';
import { isMapping } from '../inventory/model.js';
import { matchesSelector, type ResourceSelector } from './selectors.js';

/** The settings checks see, after the config file and the command line are merged. */
export interface ScanSettings {
  pssLevel: PssLevel;
  pssVersion: string;
  untrusted: ResourceSelector[];
  sandboxRuntimeClasses: string[];
}

export const DEFAULT_SETTINGS: ScanSettings = {
  pssLevel: 'restricted',
  pssVersion: 'latest',
  untrusted: [],
  sandboxRuntimeClasses: ['gvisor', 'kata', 'kata-qemu', 'kata-clh', 'kata-fc', 'runsc'],
};

export function makeCheckContext(inventory: Inventory, settings: Partial<ScanSettings> = {}): CheckContext {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  return {
    pssLevel: s.pssLevel,
    pssVersion: s.pssVersion,
    inventory,
    sandboxRuntimeClasses: s.sandboxRuntimeClasses,
    isUntrusted(pod: PodTarget): boolean {
      if (s.untrusted.length === 0) return false;
      const podLabels = isMapping(pod.meta.labels) ? (pod.meta.labels as Record<string, string>) : {};
      return s.untrusted.some((sel) => matchesSelector(sel, pod.object, podLabels));
    },
  };
}
