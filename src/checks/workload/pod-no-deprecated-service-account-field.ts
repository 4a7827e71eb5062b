// spec.serviceAccount is the deprecated alias of serviceAccountName (kube-linter
// deprecated-service-account-field). The API server copies one into the other when only one is
// set, and Pods read from a live cluster carry both with the same value: only a manifest that
// relies on the alias, or sets the two differently, is reported.

import type { PodCheck } from '../types.js';

export const podNoDeprecatedServiceAccountField: PodCheck = {
  id: 'pod-no-deprecated-service-account-field',
  title: 'Pod specs name their ServiceAccount with serviceAccountName, not the deprecated serviceAccount',
  severity: 'low',
  category: 'workload',
  controls: ['nsa:A10'],
  rationale:
    'serviceAccount is a deprecated alias. When both fields are set and differ, serviceAccountName wins, so a reviewer ' +
    'reading serviceAccount is misled about which identity — and which RBAC permissions — the pod has.',
  remediation: 'Rename serviceAccount to serviceAccountName (or delete serviceAccount when serviceAccountName is already set to the same name).',
  appliesTo: 'spec.serviceAccount of pod specs',
  scope: 'pod',
  examples: { pass: 'serviceAccountName: web', fail: 'serviceAccount: web' },
  evaluate(pod) {
    const alias = pod.spec.serviceAccount;
    const name = pod.spec.serviceAccountName;
    if (typeof alias !== 'string' || alias === '') return [];
    if (name === alias) return [];
    const path = [...pod.specPath, 'serviceAccount'];
    if (typeof name === 'string' && name !== '') {
      return [{ path, message: `serviceAccount "${alias}" differs from serviceAccountName "${name}"; the pod runs as "${name}" — remove the deprecated serviceAccount` }];
    }
    return [{ path, message: `serviceAccount "${alias}" uses the deprecated field; write serviceAccountName: ${alias}` }];
  },
};
