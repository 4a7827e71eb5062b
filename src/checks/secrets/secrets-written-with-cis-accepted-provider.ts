import { SECRETS, providersFor } from '../../analysis/encryption/config.js';
import type { ObjectCheck } from '../types.js';
import { ENCRYPTION_CONFIG_APPLIES_TO, ENCRYPTION_CONFIG_KINDS, encryptionConfigOf } from './shared.js';

export const secretsWrittenWithCisAcceptedProvider: ObjectCheck = {
  id: 'secrets-written-with-cis-accepted-provider',
  title: 'Secrets are written with a provider the CIS Benchmark accepts',
  severity: 'medium',
  category: 'secrets',
  controls: ['cis:1.2.28', 'nsa:N12'],
  rationale:
    'CIS 1.2.28 accepts aescbc, kms and secretbox as the provider that writes Secrets. aesgcm encrypts, but its ' +
    'random 96-bit nonces make a key unsafe after about 200,000 writes, so the Kubernetes docs advise it only with ' +
    'automated key rotation. (identity first is reported by secrets-encrypted-at-rest.)',
  remediation:
    'Put secretbox or kms (apiVersion: v2) first for secrets and keep aesgcm after it until every Secret is ' +
    'rewritten; `kubeharden generate encryption-config --rotate FILE --provider secretbox` writes the stages.',
  appliesTo: ENCRYPTION_CONFIG_APPLIES_TO,
  scope: 'object',
  kinds: ENCRYPTION_CONFIG_KINDS,
  examples: {
    pass: 'resources:\n- resources: [secrets]\n  providers:\n  - secretbox: {keys: [{name: key1, secret: <base64>}]}\n  - aesgcm: {keys: [{name: old, secret: <base64>}]}',
    fail: 'resources:\n- resources: [secrets]\n  providers:\n  - aesgcm: {keys: [{name: key1, secret: <base64>}]}',
  },
  evaluate(obj) {
    const config = encryptionConfigOf(obj);
    if (!config) return [];
    const writer = providersFor(config, SECRETS).providers[0];
    if (writer?.type !== 'aesgcm') return [];
    return [
      {
        path: [...writer.path, 'aesgcm'],
        message:
          'aesgcm writes secrets: CIS 1.2.28 accepts only aescbc, kms or secretbox, and aesgcm keys must be rotated before ' +
          'about 200,000 writes; use secretbox or kms apiVersion v2 unless key rotation is automated',
      },
    ];
  },
};
