import { SECRETS, providersFor } from '../../analysis/encryption/config.js';
import { formatPath } from '../../inventory/model.js';
import type { ObjectCheck } from '../types.js';
import { ENCRYPTION_CONFIG_APPLIES_TO, ENCRYPTION_CONFIG_KINDS, encryptionConfigOf } from './shared.js';

export const secretsEncryptedAtRest: ObjectCheck = {
  id: 'secrets-encrypted-at-rest',
  title: 'Secrets are written to etcd encrypted',
  severity: 'high',
  category: 'secrets',
  controls: ['cis:1.2.27', 'cis:1.2.28', 'nsa:N12'],
  rationale:
    'The API server writes every object with the FIRST provider that applies to its resource. With `identity` ' +
    'first, or with `secrets` not covered by any entry (neither `secrets`, `*.` nor `*.*`), new Secrets are ' +
    'stored in etcd in plain text, whatever providers follow — anyone with an etcd backup or etcd access reads them.',
  remediation:
    'In the entry that covers secrets, put an encrypting provider (kms apiVersion v2, or secretbox) first and ' +
    'keep `identity: {}` after it so existing plain Secrets stay readable; restart the API servers, then ' +
    'rewrite all Secrets: kubectl get secrets --all-namespaces -o json | kubectl replace -f -. ' +
    '`kubeharden etcd probe` shows which Secrets are still stored in plain text.',
  appliesTo: ENCRYPTION_CONFIG_APPLIES_TO,
  scope: 'object',
  kinds: ENCRYPTION_CONFIG_KINDS,
  examples: {
    pass: 'resources:\n- resources: [secrets]\n  providers:\n  - secretbox: {keys: [{name: key1, secret: <base64>}]}\n  - identity: {}',
    fail: 'resources:\n- resources: [secrets]\n  providers:\n  - identity: {}\n  - secretbox: {keys: [{name: key1, secret: <base64>}]}',
  },
  evaluate(obj) {
    const config = encryptionConfigOf(obj);
    if (!config || config.entries.length === 0) return [];
    const choice = providersFor(config, SECRETS);
    const writer = choice.providers[0];
    if (!choice.matchedBy) {
      return [
        {
          path: ['resources'],
          message:
            'no entry covers secrets (neither "secrets", "*." nor "*.*"): Secrets are written in plain text; ' +
            'add an entry with resources: [secrets] and an encrypting provider first',
        },
      ];
    }
    if (writer?.type !== 'identity') return [];
    const encrypting = choice.providers.filter((p) => p.type !== 'identity').map((p) => p.type);
    const entry = formatPath(['resources', choice.entries[0]?.index ?? 0]);
    return [
      {
        path: writer.path,
        message:
          `identity is the first provider for secrets (matched by "${choice.matchedBy}" in ${entry}): new Secrets are written in plain text` +
          (encrypting.length
            ? `; ${encrypting.join(', ')} after it only decrypts — move the encrypting provider first and identity after it`
            : '; put an encrypting provider (kms v2 or secretbox) first'),
      },
    ];
  },
};
