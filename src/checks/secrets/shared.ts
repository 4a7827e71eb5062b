// What the secrets checks share: the EncryptionConfiguration of an object, read once per scan.

import type { InventoryObject } from '../../inventory/model.js';
import { isEncryptionConfiguration, readEncryptionConfig, type ConfigProblem, type EncryptionConfig } from '../../analysis/encryption/config.js';
import type { Violation } from '../types.js';

/** The current kind and the legacy `v1` EncryptionConfig the API server still loads. */
export const ENCRYPTION_CONFIG_KINDS = ['EncryptionConfiguration', 'EncryptionConfig'];

const cache = new WeakMap<object, EncryptionConfig>();

/** The parsed configuration, or undefined when the object is another API's kind of the same name. */
export function encryptionConfigOf(obj: InventoryObject): EncryptionConfig | undefined {
  if (!isEncryptionConfiguration(obj.apiVersion, obj.kind)) return undefined;
  let config = cache.get(obj.raw);
  if (!config) cache.set(obj.raw, (config = readEncryptionConfig(obj.raw)));
  return config;
}

export const ENCRYPTION_CONFIG_APPLIES_TO = 'EncryptionConfiguration files (apiserver.config.k8s.io/v1, and the legacy v1 EncryptionConfig), the file of --encryption-provider-config';

/** The configuration's problems of one area as violations (the API server's own validation messages). */
export function problemViolations(obj: InventoryObject, area: ConfigProblem['area']): Violation[] {
  const config = encryptionConfigOf(obj);
  if (!config) return [];
  return config.problems.filter((p) => p.area === area).map((p) => ({ path: p.path, message: p.message }));
}
