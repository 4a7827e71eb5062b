import { WEBHOOK_KINDS, clientOf, isSecurityWebhook, selectorEscapes, webhooksOf } from '../../analysis/admission/webhooks.js';
import type { ObjectCheck } from '../types.js';

export const securityWebhookExclusionsNarrow: ObjectCheck = {
  id: 'security-webhook-exclusions-narrow',
  title: 'Security admission webhooks cannot be bypassed by labels or broad namespace exclusions',
  severity: 'medium',
  category: 'admission',
  controls: ['nsa:P12', 'nsa:P14'],
  rationale:
    'A webhook\'s namespaceSelector and objectSelector decide which requests it ever sees. When they test a label that ' +
    'users can set, whoever can label a namespace or create an object can opt out of the policy; when they exclude ' +
    'many namespaces by name, workloads there are never checked. Only the system namespaces (and the engine\'s own) ' +
    'usually need excluding, by the immutable kubernetes.io/metadata.name label.',
  remediation:
    'Exclude namespaces with kubernetes.io/metadata.name NotIn [kube-system, <engine namespace>] only; move other ' +
    'exceptions into the policies themselves, where they are reviewed and audited.',
  appliesTo: 'ValidatingWebhookConfigurations and MutatingWebhookConfigurations of policy engines and image verifiers',
  scope: 'object',
  kinds: WEBHOOK_KINDS,
  examples: {
    pass: 'namespaceSelector:\n  matchExpressions:\n  - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, kyverno]}',
    fail: 'objectSelector:\n  matchExpressions:\n  - {key: skip-policy, operator: DoesNotExist}',
  },
  evaluate(obj) {
    return webhooksOf(obj)
      .filter((w) => isSecurityWebhook(obj, w))
      .flatMap((w) => selectorEscapes(w, clientOf(w).service.namespace));
  },
};
