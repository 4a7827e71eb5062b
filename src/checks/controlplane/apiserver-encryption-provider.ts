import { observeFlag } from '../../analysis/flags/settings.js';
import { isMapping } from '../../inventory/model.js';
import { readConfigDocument } from '../../sources/node/config-files.js';
import { evaluateEach, evidenceOf } from '../node/evaluate.js';
import { defineNodeCheck } from '../node/types.js';

const cis = { id: '1.2.28', automated: false };
const ENCRYPTION_CONFIG = { kinds: ['EncryptionConfiguration'], groups: ['apiserver.config.k8s.io'] };
export const STRONG_PROVIDERS = ['aescbc', 'kms', 'secretbox'];

/** The entry of an EncryptionConfiguration that covers Secrets: the first listing `secrets`, `*.` or `*.*`. */
function secretsEntry(value: Record<string, unknown>): { index: number; providers: unknown[] } | undefined {
  const resources = Array.isArray(value.resources) ? value.resources : [];
  for (let i = 0; i < resources.length; i++) {
    const entry = resources[i];
    if (!isMapping(entry) || !Array.isArray(entry.resources)) continue;
    if (entry.resources.some((r) => r === 'secrets' || r === '*.' || r === '*.*')) {
      return { index: i, providers: Array.isArray(entry.providers) ? entry.providers : [] };
    }
  }
  return undefined;
}

/** CIS 1.2.28: the provider that writes Secrets (the first one of their entry) is aescbc, kms or secretbox. */
export const apiserverStrongEncryptionProvider = defineNodeCheck({
  id: 'apiserver-strong-encryption-provider',
  title: 'Secrets are encrypted at rest with a strong provider',
  severity: 'high',
  category: 'secrets',
  cis,
  rationale:
    'The first provider of the resource entry that covers Secrets encrypts every write. identity stores them in clear text; ' +
    'aesgcm is real but not in the benchmark\'s accepted list (its nonces need frequent key rotation).',
  remediation: 'In the EncryptionConfiguration make kms (v2), aescbc or secretbox the first provider for secrets, then rewrite all Secrets (kubectl get secrets -A -o json | kubectl replace -f -).',
  appliesTo: 'the EncryptionConfiguration named by kube-apiserver --encryption-provider-config',
  evaluateNode: (facts) =>
    evaluateEach(facts, 'kube-apiserver', cis, (c) => {
      const flag = observeFlag(c, 'encryption-provider-config');
      if (!flag.set) return { ok: false, evidence: [evidenceOf(flag)], message: `kube-apiserver has no --encryption-provider-config in ${c.where}, so Secrets are stored unencrypted`, location: flag.location };
      const doc = readConfigDocument(facts, c, flag.value as string, ENCRYPTION_CONFIG);
      if (!doc.ok) return { ok: 'unknown', evidence: [evidenceOf(flag)], reason: `cannot read the encryption config: ${doc.message}` };
      const entry = secretsEntry(doc.value);
      const first = entry?.providers[0];
      const name = isMapping(first) ? Object.keys(first)[0] : undefined;
      const where = entry ? `resources[${entry.index}].providers[0]` : 'resources';
      const evidence = [evidenceOf(flag), { subject: `EncryptionConfiguration ${where}`, value: name, source: doc.source }];
      if (name && STRONG_PROVIDERS.includes(name)) return { ok: true, evidence };
      return {
        ok: false,
        evidence,
        message: entry ? `Secrets are written with the ${name ?? 'missing'} provider (${doc.source} ${where}); make ${STRONG_PROVIDERS.join(', ')} the first provider` : `no resource entry in ${doc.source} covers secrets; add one whose first provider is kms, aescbc or secretbox`,
        location: { file: doc.source, path: where },
      };
    }),
});
