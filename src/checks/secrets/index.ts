import type { Check } from '../types.js';
import { secretsEncryptedAtRest } from './secrets-encrypted-at-rest.js';
import { encryptionProviderRecommended } from './encryption-provider-recommended.js';
import { secretsWrittenWithCisAcceptedProvider } from './secrets-written-with-cis-accepted-provider.js';
import { encryptionConfigValid } from './encryption-config-valid.js';
import { encryptionKeysValid } from './encryption-keys-valid.js';
import { encryptionKeyNamesUnique } from './encryption-key-names-unique.js';
import { encryptionConfigFilePrivate } from './encryption-config-file-private.js';

import { containerSecretsNotInEnv } from './container-secrets-not-in-env.js';
import { containerNoCredentialsInEnv } from './container-no-credentials-in-env.js';
import { configMapNoCredentials } from './configmap-no-credentials.js';

/** Credentials where they do not belong: in environment variables and ConfigMaps (listed among the workload checks in reports). */
export const credentialChecks: Check[] = [containerSecretsNotInEnv, containerNoCredentialsInEnv, configMapNoCredentials];

/** Every secrets-at-rest check, in the order reports list them. */
export const secretsChecks: Check[] = [
  secretsEncryptedAtRest,
  secretsWrittenWithCisAcceptedProvider,
  encryptionProviderRecommended,
  encryptionConfigValid,
  encryptionKeysValid,
  encryptionKeyNamesUnique,
  encryptionConfigFilePrivate,
];
