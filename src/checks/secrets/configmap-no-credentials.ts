import { describeObject, isMapping } from '../../inventory/model.js';
import type { ObjectCheck, Violation } from '../types.js';
import { matchCredential } from './credentials.js';

export const configMapNoCredentials: ObjectCheck = {
  id: 'configmap-no-credentials',
  title: 'ConfigMaps hold no credentials',
  severity: 'high',
  category: 'secrets',
  controls: ['nsa:N14'],
  rationale:
    'ConfigMaps are not meant for secrets: they are readable by far more subjects than Secrets, are never ' +
    'encrypted at rest, and get printed in logs and diffs. The NSA/CISA guidance asks that credentials live ' +
    'in Secrets. Values are matched by known credential formats (private keys, JWTs, cloud and chat tokens, ' +
    'URLs with passwords) and by single-line entries whose key says credential (password, token, secret, ' +
    'key…); keys that only point at a credential (PASSWORD_FILE, token-path), empty values, flags and ' +
    '$(VAR) references are not reported. Findings name the key, never its value. binaryData is not read.',
  remediation: 'Move the entry into a Secret, mount it from there, and rotate the credential, since it has been exposed.',
  appliesTo: 'ConfigMaps',
  scope: 'object',
  kinds: ['ConfigMap'],
  examples: {
    pass: 'kind: ConfigMap\ndata:\n  LOG_LEVEL: info\n  TOKEN_PATH: /var/run/secrets/tokens/api',
    fail: 'kind: ConfigMap\ndata:\n  DB_PASSWORD: hunter2',
  },
  evaluate(obj) {
    const data = obj.raw.data;
    if (!isMapping(data)) return [];
    const violations: Violation[] = [];
    for (const [key, value] of Object.entries(data)) {
      const match = matchCredential(key, value);
      if (match) {
        violations.push({
          path: ['data', key],
          message: `${describeObject(obj)} key "${key}" looks like a credential (${match.reason}); move it into a Secret`,
        });
      }
    }
    return violations;
  },
};
