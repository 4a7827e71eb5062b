// kube-linter non-existent-service-account, judged where the input can know: a pod naming a
// ServiceAccount that is a near miss of one the input declares in its namespace. The API server
// refuses to create such pods, so the workload never starts.

import { podServiceAccount } from '../../analysis/pod/service-account.js';
import type { PodCheck } from '../types.js';
import { resolveReference } from './references.js';

export const podServiceAccountExists: PodCheck = {
  id: 'pod-service-account-exists',
  title: 'Pods name a ServiceAccount that exists (no typo)',
  severity: 'low',
  category: 'reliability',
  controls: [],
  rationale: 'The ServiceAccount admission plugin refuses pods whose ServiceAccount does not exist: the controller retries forever and nothing runs.',
  remediation: 'Correct serviceAccountName to the ServiceAccount the finding suggests, or create the one it names.',
  appliesTo: 'serviceAccountName of pod specs with a namespace, against the ServiceAccounts of the input; reported only when the name is a near miss of one of them (otherwise it may exist in the cluster)',
  scope: 'pod',
  examples: { pass: 'serviceAccountName: web', fail: 'serviceAccountName: wbe', beside: 'kind: ServiceAccount\nmetadata: {name: web}' },
  evaluate(pod, ctx) {
    const sa = podServiceAccount(pod);
    if (sa.from !== 'serviceAccountName' || pod.object.namespace === undefined) return [];
    const ref = resolveReference(ctx.inventory, 'ServiceAccount', pod.object.namespace, sa.name);
    if (ref.found || !ref.meant) return [];
    return [{ path: [...pod.specPath, 'serviceAccountName'], message: `ServiceAccount "${sa.name}" is not in namespace ${pod.object.namespace}; did you mean "${ref.meant}"?` }];
  },
};
