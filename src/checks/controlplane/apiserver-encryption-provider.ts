// CIS 1.2.27 and 1.2.28: the API server encrypts Secrets at rest, with a provider the benchmark
// accepts. The EncryptionConfiguration named by --encryption-provider-config is judged by the
// secrets engine (analysis/encryption: the API server's transformer lookup, the first provider
// writes). In a node scan the file itself is scanned by the secrets checks, which carry the
// line-level findings; these items give the CIS status and evidence and report only what the
// file checks cannot see (the flag missing).

import { SECRETS, providersFor, readEncryptionConfig, type ProviderChoice } from '../../analysis/encryption/config.js';
import { observeFlag, type Observation } from '../../analysis/flags/settings.js';
import type { Evidence } from '../../result/result.js';
import { formatPath } from '../../inventory/model.js';
import { readConfigDocument } from '../../analysis/flags/config-documents.js';
import type { ComponentFacts, NodeFacts } from '../../inventory/node-facts.js';
import { evaluateEach, evidenceOf, type InstanceVerdict } from '../node/evaluate.js';
import { defineNodeCheck } from '../node/types.js';

// The legacy group-less `v1` EncryptionConfig is loaded too.
const ENCRYPTION_CONFIG = { kinds: ['EncryptionConfiguration', 'EncryptionConfig'], groups: ['apiserver.config.k8s.io', ''] };
/** The providers CIS 1.2.28 accepts as the one that writes Secrets. */
const STRONG_PROVIDERS = ['aescbc', 'kms', 'secretbox'];
const APPLIES_TO = 'kube-apiserver --encryption-provider-config and the EncryptionConfiguration it names';

type SecretsEncryption =
  | { flag: Observation; unset: true }
  | { flag: Observation; unknown: string }
  | { flag: Observation; source: string; choice: ProviderChoice; structureProblems: string[]; evidence: Evidence[] };

function readSecretsEncryption(facts: NodeFacts, c: ComponentFacts): SecretsEncryption {
  const flag = observeFlag(c, 'encryption-provider-config');
  if (!flag.set) return { flag, unset: true };
  const doc = readConfigDocument(facts, c, flag.value as string, ENCRYPTION_CONFIG);
  if (!doc.ok) return { flag, unknown: `cannot read the encryption config: ${doc.message}` };
  const config = readEncryptionConfig(doc.value);
  const choice = providersFor(config, SECRETS);
  const writer = choice.providers[0];
  const evidence: Evidence[] = [
    evidenceOf(flag),
    {
      subject: 'provider that writes Secrets',
      value: writer ? writer.type : 'identity (no entry covers secrets)',
      source: `${doc.source}${writer ? ` ${formatPath(writer.path)}` : ''}${choice.matchedBy ? ` (matched by "${choice.matchedBy}")` : ''}`,
    },
  ];
  return { flag, source: doc.source, choice, structureProblems: config.problems.filter((p) => p.area === 'structure').map((p) => p.message), evidence };
}

/** The verdict when the file is read: where the problem is, and which file check reports it line by line. */
function fileFailure(r: Extract<SecretsEncryption, { choice: ProviderChoice }>, message: string, fileCheck: string, path: string): InstanceVerdict {
  return { ok: false, evidence: r.evidence, message: `${message} (${r.source})`, location: { file: r.source, path }, lineLevelElsewhere: fileCheck };
}

/** Secrets are written in plain text: nothing covers them, or identity writes. */
function plainTextVerdict(r: Extract<SecretsEncryption, { choice: ProviderChoice }>): InstanceVerdict | undefined {
  const writer = r.choice.providers[0];
  if (!r.choice.matchedBy) return fileFailure(r, 'no resource entry covers secrets, so they are written in plain text', 'secrets-encrypted-at-rest', 'resources');
  if (writer?.type === 'identity') return fileFailure(r, 'identity is the first provider for secrets, so new Secrets are written in plain text', 'secrets-encrypted-at-rest', formatPath(writer.path));
  return undefined;
}

/** CIS 1.2.27: --encryption-provider-config names a valid configuration that encrypts Secrets. */
export const apiserverEncryptionProviderConfig = defineNodeCheck({
  id: 'apiserver-encryption-provider-config',
  title: 'Encryption at rest is configured for Secrets',
  severity: 'high',
  category: 'secrets',
  cis: { id: '1.2.27', automated: false },
  rationale: 'Without an EncryptionConfiguration, or with one whose first provider for secrets is identity, Secrets are stored in etcd in clear text.',
  remediation: 'Write an EncryptionConfiguration (kubeharden generate encryption-config) whose entry for secrets has an encrypting provider first, and set --encryption-provider-config.',
  appliesTo: APPLIES_TO,
  evaluateNode: (facts) =>
    evaluateEach(facts, 'kube-apiserver', { id: '1.2.27', automated: false }, (c): InstanceVerdict => {
      const r = readSecretsEncryption(facts, c);
      if ('unset' in r) return { ok: false, evidence: [evidenceOf(r.flag)], message: `kube-apiserver has no --encryption-provider-config in ${c.where}, so Secrets are stored unencrypted; set it`, location: r.flag.location };
      if ('unknown' in r) return { ok: 'unknown', evidence: [evidenceOf(r.flag)], reason: r.unknown };
      if (r.structureProblems.length) return fileFailure(r, `the API server refuses this EncryptionConfiguration: ${r.structureProblems.join('; ')}`, 'encryption-config-valid', '');
      return plainTextVerdict(r) ?? { ok: true, evidence: r.evidence };
    }),
});

/** CIS 1.2.28: the provider that writes Secrets (the first of their entry) is aescbc, kms or secretbox. */
export const apiserverStrongEncryptionProvider = defineNodeCheck({
  id: 'apiserver-strong-encryption-provider',
  title: 'Secrets are encrypted at rest with a strong provider',
  severity: 'high',
  category: 'secrets',
  cis: { id: '1.2.28', automated: false },
  rationale:
    'The first provider of the resource entry that covers Secrets encrypts every write. identity stores them in clear text; ' +
    'aesgcm is real but not in the benchmark\'s accepted list (its nonces need frequent key rotation).',
  remediation: 'In the EncryptionConfiguration make kms (v2), aescbc or secretbox the first provider for secrets, then rewrite all Secrets (kubectl get secrets -A -o json | kubectl replace -f -).',
  appliesTo: APPLIES_TO,
  evaluateNode: (facts) =>
    evaluateEach(facts, 'kube-apiserver', { id: '1.2.28', automated: false }, (c): InstanceVerdict => {
      const r = readSecretsEncryption(facts, c);
      if ('unset' in r) {
        // The missing flag is apiserver-encryption-provider-config's finding (1.2.27); here it only sets the status.
        return { ok: false, evidence: [evidenceOf(r.flag)], message: `kube-apiserver has no --encryption-provider-config in ${c.where}, so no provider encrypts Secrets`, location: r.flag.location, lineLevelElsewhere: 'apiserver-encryption-provider-config' };
      }
      if ('unknown' in r) return { ok: 'unknown', evidence: [evidenceOf(r.flag)], reason: r.unknown };
      const plain = plainTextVerdict(r);
      if (plain) return plain;
      const writer = r.choice.providers[0]!;
      if (STRONG_PROVIDERS.includes(writer.type)) return { ok: true, evidence: r.evidence };
      return fileFailure(r, `Secrets are written with the ${writer.type} provider (${formatPath(writer.path)}); make ${STRONG_PROVIDERS.join(', ')} the first provider`, 'secrets-written-with-cis-accepted-provider', formatPath(writer.path));
    }),
});
