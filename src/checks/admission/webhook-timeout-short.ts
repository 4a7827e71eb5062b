import { WEBHOOK_KINDS, effectiveFailurePolicy, webhooksOf } from '../../analysis/admission/webhooks.js';
import { jsonPointer } from '../../inventory/model.js';
import type { ObjectCheck } from '../types.js';

const RECOMMENDED_MAX = 10;

export const webhookTimeoutShort: ObjectCheck = {
  id: 'webhook-timeout-short',
  title: 'Admission webhooks time out within 10 seconds',
  severity: 'low',
  category: 'admission',
  // Operational hardening of the admission path; no benchmark item names it.
  controls: [],
  rationale:
    'Every matching request waits for the webhook. A long timeout on a webhook that fails closed lets a slow or hung ' +
    'webhook stall the API server (including the requests needed to repair it); on one that fails open it only ' +
    'delays the moment requests are admitted unchecked. The default is 10 seconds, the maximum 30.',
  remediation: 'Set timeoutSeconds to 10 or less (a few seconds for webhooks on hot paths such as pods or leases).',
  appliesTo: 'ValidatingWebhookConfigurations and MutatingWebhookConfigurations',
  scope: 'object',
  kinds: WEBHOOK_KINDS,
  examples: {
    pass: 'webhooks:\n- name: validate.example.com\n  timeoutSeconds: 5',
    fail: 'webhooks:\n- name: validate.example.com\n  timeoutSeconds: 30',
  },
  evaluate(obj) {
    return webhooksOf(obj)
      .filter((w) => typeof w.raw.timeoutSeconds === 'number' && w.raw.timeoutSeconds > RECOMMENDED_MAX)
      .map((w) => ({
        path: ['webhooks', w.index, 'timeoutSeconds'],
        message: `webhook "${w.name}" waits up to ${String(w.raw.timeoutSeconds)}s per request (failurePolicy ${effectiveFailurePolicy(obj, w)}); set timeoutSeconds to ${RECOMMENDED_MAX} or less`,
        fix: [{ op: 'replace' as const, path: jsonPointer(['webhooks', w.index, 'timeoutSeconds']), value: RECOMMENDED_MAX }],
      }));
  },
};
