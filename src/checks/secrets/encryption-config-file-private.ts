import { STDIN_NAME } from '../../inventory/model.js';
import type { InventoryCheck, Violation } from '../types.js';
import { ENCRYPTION_CONFIG_APPLIES_TO, ENCRYPTION_CONFIG_KINDS, encryptionConfigOf } from './shared.js';

export const encryptionConfigFilePrivate: InventoryCheck = {
  id: 'encryption-config-file-private',
  title: 'A file holding encryption keys is readable only by its owner',
  severity: 'high',
  category: 'secrets',
  controls: ['nsa:N12'],
  rationale:
    'aescbc, aesgcm and secretbox keys sit in the configuration file itself. Whoever can read the file can ' +
    'decrypt every Secret in etcd and in its backups, so the file must be readable only by the user the API ' +
    'server runs as.',
  remediation: 'chmod 600 the file and chown it to the API server user (root on kubeadm control planes); keep it out of version control.',
  appliesTo: ENCRYPTION_CONFIG_APPLIES_TO + ' that hold aescbc, aesgcm or secretbox keys, read from a file',
  scope: 'inventory',
  evaluate(inventory) {
    const withKeys = ENCRYPTION_CONFIG_KINDS.flatMap((k) => inventory.ofKind(k)).filter((obj) =>
      encryptionConfigOf(obj)?.entries.some((e) => e.providers.some((p) => p.keys.length > 0)),
    );
    if (withKeys.length === 0) return { skip: 'no EncryptionConfiguration with aescbc, aesgcm or secretbox keys in the input' };
    const violations: Violation[] = [];
    const unreadable: string[] = [];
    let evaluated = 0;
    for (const obj of withKeys) {
      if (obj.source.file === STDIN_NAME) {
        unreadable.push(`${STDIN_NAME} has no file mode`);
        continue;
      }
      // The mode is a fact the source recorded as it read the file; the check does no I/O.
      const mode = inventory.fileModes.get(obj.source.file);
      if (mode === undefined) {
        unreadable.push(`${obj.source.file}: its file mode was not recorded (not read from a file)`);
        continue;
      }
      evaluated++;
      if ((mode & 0o077) === 0) continue;
      violations.push({
        object: obj,
        path: obj.source.pathInDoc.length ? [] : ['resources'],
        message: `${obj.source.file} holds encryption keys and has mode ${mode.toString(8).padStart(4, '0')}, readable by ${
          mode & 0o007 ? 'every user' : 'its group'
        }; chmod 600 it`,
      });
    }
    if (evaluated === 0) return { skip: `cannot read the file mode: ${unreadable.join('; ')}` };
    return { evaluated, violations };
  },
};
