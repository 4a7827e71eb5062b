import { describeObject, isMapping, jsonPointer } from '../../inventory/model.js';
import type { ObjectCheck } from '../types.js';

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** Kubernetes' own namespaces run privileged system pods (CNI, kube-proxy, CSI) by design. */
const EXEMPT = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export const namespaceEnforcesPodSecurity: ObjectCheck = {
  id: 'namespace-enforces-pod-security',
  title: 'Namespaces enforce the baseline or restricted Pod Security Standard',
  severity: 'medium',
  category: 'admission',
  controls: ['cis:5.2.1', 'nsa:P12'],
  rationale:
    'Pod Security Admission (which replaced PodSecurityPolicy, removed in Kubernetes 1.25) rejects pods that ' +
    'break the Pod Security Standards only in namespaces labelled pod-security.kubernetes.io/enforce. ' +
    'Without the label (or with `privileged`) any pod is admitted — privileged containers, host ' +
    'namespaces, hostPath mounts. CIS 5.2.1 and NSA/CISA ask for an enforcing policy in every namespace ' +
    'with user workloads. kube-system, kube-public and kube-node-lease are not reported: they hold the ' +
    'cluster\'s own privileged components. An API-server-wide default in the PodSecurity admission ' +
    'configuration, or an external policy engine, can also enforce; this check sees only the labels.',
  remediation:
    'Label the namespace pod-security.kubernetes.io/enforce: restricted (or baseline where restricted is not ' +
    'yet possible), with pod-security.kubernetes.io/enforce-version pinned to your Kubernetes minor version. ' +
    'Try it first with the warn and audit labels.',
  appliesTo: 'Namespaces',
  scope: 'object',
  kinds: ['Namespace'],
  examples: {
    pass: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted',
    fail: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: privileged',
  },
  evaluate(obj) {
    if (EXEMPT.has(obj.name)) return [];
    const level = obj.labels[ENFORCE_LABEL];
    if (level === 'baseline' || level === 'restricted') return [];
    const labelPath = ['metadata', 'labels', ENFORCE_LABEL];
    const hasLabels = isMapping(obj.raw.metadata) && isMapping(obj.raw.metadata.labels);
    // JSON-patch `add` replaces an existing member, so one op serves a missing and a wrong value.
    const fix = hasLabels
      ? { op: 'add' as const, path: jsonPointer(labelPath), value: 'baseline' }
      : { op: 'add' as const, path: jsonPointer(['metadata', 'labels']), value: { [ENFORCE_LABEL]: 'baseline' } };
    return [{ path: hasLabels ? labelPath : ['metadata'], message: describeLevel(describeObject(obj), level), fix: [fix] }];
  },
};

function describeLevel(namespace: string, level: string | undefined): string {
  if (level === undefined) return `${namespace} has no ${ENFORCE_LABEL} label, so Pod Security Admission admits any pod; set it to restricted or baseline`;
  if (level === 'privileged') return `${namespace} enforces the privileged level, which admits any pod; set ${ENFORCE_LABEL} to restricted or baseline`;
  return `${namespace} sets ${ENFORCE_LABEL}: "${level}", which is not a Pod Security level (privileged, baseline, restricted); set it to restricted or baseline`;
}
