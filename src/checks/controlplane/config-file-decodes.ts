// Configuration files are decoded as the component that loads them decodes them
// (analysis/config-schema): a field the strict decoders refuse stops the API server; a field the
// lenient fallbacks ignore silently drops a setting (a misspelled `omitStages` in an audit policy).

import { decodeConfig, isConfigFileObject } from '../../analysis/config-schema/decode.js';
import { formatPath } from '../../inventory/model.js';
import type { InventoryCheck, Violation } from '../types.js';

export const configFileDecodes: InventoryCheck = {
  id: 'config-file-decodes',
  title: 'Configuration files decode as the API server and kubelet read them',
  severity: 'medium',
  category: 'control-plane',
  // No control of its own: a refused file breaks whichever item the file serves (1.2.27, 3.2.1…), which those items report.
  controls: [],
  rationale:
    'The API server decodes EncryptionConfiguration, AdmissionConfiguration, AuthenticationConfiguration and ' +
    'AuthorizationConfiguration strictly: an unknown or misspelled field, a kind it does not register or a value ' +
    'of the wrong type and it refuses the file, so it does not start (or keeps the old file on a reload). The ' +
    'audit Policy and the KubeletConfiguration fall back to lenient decoding: a misspelled field there is ' +
    'ignored with a log line, and the setting it meant is silently not applied. A field written twice fails strict ' +
    'decoding too: the strict decoders refuse the file, the lenient fallbacks keep the last value.',
  remediation: 'Correct the field the finding names (names are case-sensitive); the finding suggests the field it most likely meant.',
  appliesTo:
    'objects of apiserver.config.k8s.io (EncryptionConfiguration, AdmissionConfiguration, AuthenticationConfiguration, ' +
    'AuthorizationConfiguration), the legacy v1 EncryptionConfig, audit.k8s.io Policy and kubelet.config.k8s.io ' +
    'KubeletConfiguration, in manifests and, in node scans, the files kube-apiserver names and the kubelet\'s config file ' +
    'and --config-dir drop-ins',
  scope: 'inventory',
  examples: {
    pass: 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - identity: {}',
    fail: 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  provider:          # unknown field: the API server refuses the file\n  - identity: {}',
  },
  evaluate(inventory) {
    const violations: Violation[] = [];
    let evaluated = 0;
    for (const object of inventory.objects) {
      if (!isConfigFileObject(object.apiVersion, object.kind)) continue;
      const decoded = decodeConfig(object.raw);
      if (!decoded) continue;
      evaluated++;
      // Strict decoding refuses a field given twice; the lenient fallbacks keep the last value.
      for (const d of object.source.duplicateKeys ?? []) {
        const field = `"${formatPath(d.path)}" is given twice (again at line ${d.line})`;
        violations.push({
          object,
          path: d.path,
          message: decoded.strict
            ? `${field}: strict decoding rejects a duplicate field, so ${decoded.loader} will refuse this file`
            : `${field}: strict decoding rejects it, so ${decoded.loader} falls back to lenient decoding and uses the last value`,
        });
      }
      for (const p of decoded.problems) {
        violations.push({
          object,
          path: p.path,
          message: p.refused && !/refuses this file/.test(p.message) ? `${p.message}; ${decoded.loader} will refuse this file` : p.message,
        });
      }
    }
    return { evaluated, violations };
  },
};
