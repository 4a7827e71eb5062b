import { SECRETS, providersFor, type Provider } from '../../analysis/encryption/config.js';
import type { ObjectCheck, Violation } from '../types.js';
import { ENCRYPTION_CONFIG_APPLIES_TO, ENCRYPTION_CONFIG_KINDS, encryptionConfigOf } from './shared.js';

/** Why a provider should not be the one that writes, per the Kubernetes docs' provider table; undefined when it is fine. */
function weakness(provider: Provider): string | undefined {
  switch (provider.type) {
    case 'aescbc':
      return 'aescbc is rated weak by the Kubernetes docs (CBC without authentication, exposed to padding-oracle attacks); use kms apiVersion v2 or secretbox';
    case 'aesgcm':
      return 'aesgcm uses random 96-bit nonces, so each key must be rotated before about 200,000 writes; use it only with automated key rotation, otherwise kms apiVersion v2 or secretbox';
    case 'kms':
      return provider.kms?.apiVersion === 'v1'
        ? `kms provider "${provider.kms.name}" uses apiVersion v1 (the default when unset), which is deprecated and off unless the KMSv1 feature gate is enabled; move to apiVersion: v2 with a KMS v2 plugin`
        : undefined;
    default:
      return undefined;
  }
}

export const encryptionProviderRecommended: ObjectCheck = {
  id: 'encryption-provider-recommended',
  title: 'Encryption at rest writes with a recommended provider',
  severity: 'medium',
  category: 'secrets',
  // Not mapped to CIS 1.2.28: the benchmark accepts aescbc (the docs rate it weak); aesgcm writing Secrets, which
  // the benchmark refuses, is secrets-written-with-cis-accepted-provider's finding.
  controls: ['nsa:N12'],
  rationale:
    'The provider that writes decides how strong the encryption is. The Kubernetes docs recommend kms v2 with an ' +
    'external KMS, rate secretbox strong, aescbc weak, aesgcm safe only with automated rotation, and kms v1 is ' +
    'deprecated. Providers listed after the first only decrypt and are not reported.',
  remediation:
    'Put kms (apiVersion: v2) or secretbox first in the entry; keep the old provider after it until every object ' +
    'is rewritten (kubectl get secrets -A -o json | kubectl replace -f -), then remove it. ' +
    '`kubeharden generate encryption-config --rotate` writes the staged files.',
  appliesTo: ENCRYPTION_CONFIG_APPLIES_TO,
  scope: 'object',
  kinds: ENCRYPTION_CONFIG_KINDS,
  examples: {
    pass: 'providers:\n- kms: {apiVersion: v2, name: vault, endpoint: unix:///run/kms.sock}\n- identity: {}',
    fail: 'providers:\n- aescbc: {keys: [{name: key1, secret: <base64>}]}\n- identity: {}',
  },
  evaluate(obj) {
    const config = encryptionConfigOf(obj);
    if (!config) return [];
    // The writers: for each configured resource string, the first provider the API server picks for it.
    const writesFor = new Map<Provider, string[]>();
    for (const entry of config.entries) {
      for (const r of entry.resources) {
        const writer = providersFor(config, r.gr).providers[0];
        if (!writer) continue;
        const list = writesFor.get(writer) ?? [];
        if (!list.includes(r.text)) list.push(r.text);
        writesFor.set(writer, list);
      }
    }
    const secretsWriter = providersFor(config, SECRETS).providers[0];
    const out: Violation[] = [];
    for (const [provider, resources] of writesFor) {
      // aesgcm writing Secrets is secrets-written-with-cis-accepted-provider's finding (CIS 1.2.28).
      if (provider === secretsWriter && provider.type === 'aesgcm') continue;
      const why = weakness(provider);
      if (why) out.push({ path: [...provider.path, provider.type], message: `writes ${resources.join(', ')}: ${why}` });
    }
    return out;
  },
};
