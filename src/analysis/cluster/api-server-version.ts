// The API server's /version answer as an inventory object, so checks can read it like any other
// object, findings can point at it, and a snapshot keeps it. It carries the time it was read:
// "is this release still supported" is judged on that day, so a snapshot scanned later gives
// the same answer as the live scan did.

import type { Inventory } from '../../inventory/inventory.js';
import { isMapping, type InventoryObject } from '../../inventory/model.js';

const API_SERVER_VERSION_API = 'kubeharden.io/v1';
const API_SERVER_VERSION_KIND = 'APIServerVersion';

export function apiServerVersionObject(versionAnswer: Record<string, unknown>, observedAt: Date): Record<string, unknown> {
  const pick = (k: string) => (typeof versionAnswer[k] === 'string' ? { [k]: versionAnswer[k] } : {});
  return {
    apiVersion: API_SERVER_VERSION_API,
    kind: API_SERVER_VERSION_KIND,
    metadata: { name: 'kube-apiserver' },
    ...pick('gitVersion'),
    ...pick('major'),
    ...pick('minor'),
    ...pick('platform'),
    observedAt: observedAt.toISOString(),
  };
}

export interface ApiServerVersion {
  object: InventoryObject;
  gitVersion: string;
  /** YYYY-MM-DD of the read. */
  observedOn: string;
}

/** The API server version the input holds, or why there is none to judge. */
export function apiServerVersion(inventory: Inventory): ApiServerVersion | { skip: string } {
  const object = inventory.ofKind(API_SERVER_VERSION_KIND).find((o) => o.apiVersion === API_SERVER_VERSION_API);
  if (!object) return { skip: 'the input has no API server version (scan a live cluster or a snapshot of one)' };
  const { gitVersion, observedAt } = object.raw;
  if (typeof gitVersion !== 'string') return { skip: 'the API server did not say its gitVersion' };
  if (typeof observedAt !== 'string' || Number.isNaN(Date.parse(observedAt))) return { skip: 'the API server version has no observedAt time' };
  return { object, gitVersion, observedOn: new Date(observedAt).toISOString().slice(0, 10) };
}

export function isVersionAnswer(value: unknown): value is Record<string, unknown> {
  return isMapping(value) && typeof value.gitVersion === 'string';
}
