import { formatPath } from '../../inventory/model.js';
import type { ObjectCheck, Violation } from '../types.js';
import { ENCRYPTION_CONFIG_APPLIES_TO, ENCRYPTION_CONFIG_KINDS, encryptionConfigOf } from './shared.js';

export const encryptionKeyNamesUnique: ObjectCheck = {
  id: 'encryption-key-names-unique',
  title: 'Encryption key names are unique per provider type',
  severity: 'low',
  category: 'secrets',
  controls: ['nsa:N12'],
  rationale:
    'A stored value names the key that wrote it (`k8s:enc:aescbc:v1:<name>:`). The API server accepts two keys ' +
    'of the same name and simply tries both, but then nobody can tell from etcd which key a value needs: a ' +
    'rotation that removes "the old key" by name can make data unreadable.',
  remediation: 'Give every key of a provider type its own name, for example one that says when it was created (key-2024-05).',
  appliesTo: ENCRYPTION_CONFIG_APPLIES_TO,
  scope: 'object',
  kinds: ENCRYPTION_CONFIG_KINDS,
  examples: {
    pass: 'aescbc:\n  keys:\n  - {name: key-2024-05, secret: <base64>}\n  - {name: key-2023-11, secret: <base64>}',
    fail: 'aescbc:\n  keys:\n  - {name: key1, secret: <base64>}\n  - {name: key1, secret: <base64>}',
  },
  evaluate(obj) {
    const config = encryptionConfigOf(obj);
    if (!config) return [];
    const out: Violation[] = [];
    for (const entry of config.entries) {
      const seen = new Map<string, string>();
      for (const provider of entry.providers) {
        for (const key of provider.keys) {
          if (key.name === '') continue;
          const id = `${provider.type}/${key.name}`;
          const first = seen.get(id);
          if (first) {
            out.push({
              path: [...key.path, 'name'],
              message: `${provider.type} key name "${key.name}" is already used by ${first}; stored values could not tell the two keys apart — rename one`,
            });
          } else seen.set(id, formatPath(key.path));
        }
      }
    }
    return out;
  },
};
