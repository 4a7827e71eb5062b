import type { ObjectCheck } from '../types.js';
import { ENCRYPTION_CONFIG_APPLIES_TO, ENCRYPTION_CONFIG_KINDS, problemViolations } from './shared.js';

export const encryptionConfigValid: ObjectCheck = {
  id: 'encryption-config-valid',
  title: 'EncryptionConfiguration is one the API server accepts',
  severity: 'medium',
  category: 'secrets',
  controls: ['cis:1.2.27', 'nsa:N12'],
  rationale:
    'The API server validates its encryption configuration at start (and on automatic reload) and refuses a ' +
    'file with invalid resource names, overlapping or masked rules, provider items with zero or several ' +
    'provider types, or incomplete KMS settings. A broken file either stops the control plane or, on reload, ' +
    'leaves the old configuration in force without anyone noticing.',
  remediation:
    'Correct each field the finding names: resources as `resource` or `resource.group` in lower case (`*.` or ' +
    '`*.*` for wildcards, specific resources before wildcards), exactly one provider type per providers item, ' +
    'kms with name, a unix:// endpoint and apiVersion v2.',
  appliesTo: ENCRYPTION_CONFIG_APPLIES_TO,
  scope: 'object',
  kinds: ENCRYPTION_CONFIG_KINDS,
  examples: {
    pass: 'resources:\n- resources: [secrets]\n  providers:\n  - secretbox: {keys: [{name: key1, secret: <32 random bytes, base64>}]}\n  - identity: {}',
    fail: 'resources:\n- resources: ["*.*"]\n  providers: [{identity: {}}]\n- resources: [secrets]   # masked by the earlier *.*\n  providers: [{identity: {}, aescbc: {keys: []}}]',
  },
  evaluate(obj) {
    return problemViolations(obj, 'structure');
  },
};
