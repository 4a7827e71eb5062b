import type { ObjectCheck } from '../types.js';
import { ENCRYPTION_CONFIG_APPLIES_TO, ENCRYPTION_CONFIG_KINDS, problemViolations } from './shared.js';

export const encryptionKeysValid: ObjectCheck = {
  id: 'encryption-keys-valid',
  title: 'Encryption keys are named, base64 and of a valid size',
  severity: 'medium',
  category: 'secrets',
  controls: ['cis:1.2.27', 'nsa:N12'],
  rationale:
    'Every aescbc, aesgcm and secretbox key needs a name and a secret in standard base64 that decodes to a ' +
    'valid key size: 16, 24 or 32 bytes for AES, exactly 32 for secretbox. The API server refuses any other, ' +
    'so an encryption rollout with such a key fails or never takes effect.',
  remediation:
    'Generate keys from a cryptographic source: `head -c 32 /dev/urandom | base64`, or let ' +
    '`kubeharden generate encryption-config` write the file.',
  appliesTo: ENCRYPTION_CONFIG_APPLIES_TO,
  scope: 'object',
  kinds: ENCRYPTION_CONFIG_KINDS,
  examples: {
    pass: 'providers:\n- aescbc: {keys: [{name: key1, secret: <32 random bytes, base64>}]}',
    fail: 'providers:\n- secretbox: {keys: [{name: key1, secret: c2hvcnQ=}]}   # 5 bytes',
  },
  evaluate(obj) {
    return problemViolations(obj, 'keys');
  },
};
