import { WEBHOOK_KINDS, effectiveFailurePolicy, isSecurityWebhook, webhooksOf } from '../../analysis/admission/webhooks.js';
import { jsonPointer } from '../../inventory/model.js';
import type { ObjectCheck } from '../types.js';

export const securityWebhookFailsClosed: ObjectCheck = {
  id: 'security-webhook-fails-closed',
  title: 'Security admission webhooks fail closed (failurePolicy: Fail)',
  severity: 'high',
  category: 'admission',
  controls: ['nsa:P12', 'nsa:P14'],
  rationale:
    'With failurePolicy: Ignore, every request is admitted unchecked while the webhook is down, slow or unreachable — ' +
    'an attacker who can crash or overload the policy engine (or wait for an upgrade) turns the policy off. ' +
    'admissionregistration.k8s.io/v1 defaults to Fail; v1beta1 defaulted to Ignore.',
  remediation:
    'Set failurePolicy: Fail on the webhooks of policy engines (Kyverno, Gatekeeper, Kubewarden, image verifiers), run ' +
    'them highly available, and exclude only the namespaces they need to start in.',
  appliesTo: 'ValidatingWebhookConfigurations and MutatingWebhookConfigurations of policy engines and image verifiers',
  scope: 'object',
  kinds: WEBHOOK_KINDS,
  examples: {
    pass: 'webhooks:\n- name: validate.kyverno.svc\n  failurePolicy: Fail',
    fail: 'webhooks:\n- name: validate.kyverno.svc\n  failurePolicy: Ignore',
  },
  evaluate(obj) {
    return webhooksOf(obj)
      .filter((w) => isSecurityWebhook(obj, w) && effectiveFailurePolicy(obj, w) === 'Ignore')
      .map((w) => {
        const written = typeof w.raw.failurePolicy === 'string';
        const path = ['webhooks', w.index, 'failurePolicy'];
        return {
          path,
          message: `webhook "${w.name}" ${written ? 'sets failurePolicy: Ignore' : 'has no failurePolicy, which is Ignore in v1beta1'}: requests are admitted unchecked whenever it is unavailable; set failurePolicy: Fail`,
          fix: [{ op: written ? ('replace' as const) : ('add' as const), path: jsonPointer(path), value: 'Fail' }],
        };
      });
  },
};
