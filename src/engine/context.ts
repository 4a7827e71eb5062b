import type { CheckContext, RequiredMetadata } from '../checks/types.js';
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
  /** Labels and annotations every object of the given kinds must carry (object-has-required-metadata). */
  requiredMetadata: RequiredMetadata[];
}

export const DEFAULT_SETTINGS: ScanSettings = {
  pssLevel: 'restricted',
  pssVersion: 'latest',
  untrusted: [],
  sandboxRuntimeClasses: ['gvisor', 'kata', 'kata-qemu', 'kata-clh', 'kata-fc', 'runsc'],
  requiredMetadata: [],
};

export function makeCheckContext(inventory: Inventory, settings: Partial<ScanSettings> = {}): CheckContext {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  return {
    pssLevel: s.pssLevel,
    pssVersion: s.pssVersion,
    inventory,
    sandboxRuntimeClasses: s.sandboxRuntimeClasses,
    requiredMetadata: s.requiredMetadata,
    isUntrusted(pod: PodTarget): boolean {
      if (s.untrusted.length === 0) return false;
      const podLabels = isMapping(pod.meta.labels) ? (pod.meta.labels as Record<string, string>) : {};
      return s.untrusted.some((sel) => matchesSelector(sel, pod.object, podLabels));
    },
  };
}
