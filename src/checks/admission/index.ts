import type { Check } from '../types.js';
import { apiServerAdmissionFlagsValid } from './apiserver-admission-flags-valid.js';
import { apiServerAlwaysAdmitDisabled } from './apiserver-always-admit-disabled.js';
import { apiServerEventRateLimitEnabled } from './apiserver-event-rate-limit-enabled.js';
import { apiServerNodeRestrictionEnabled } from './apiserver-node-restriction-enabled.js';
import { apiServerPodSecurityAdmissionEnabled } from './apiserver-pod-security-admission-enabled.js';
import { securityWebhookExclusionsNarrow } from './security-webhook-exclusions-narrow.js';
import { securityWebhookFailsClosed } from './security-webhook-fails-closed.js';
import { webhookTimeoutShort } from './webhook-timeout-short.js';

/** Every admission-control check, in the order reports list them. */
export const admissionChecks: Check[] = [
  apiServerAdmissionFlagsValid,
  apiServerAlwaysAdmitDisabled,
  apiServerNodeRestrictionEnabled,
  apiServerPodSecurityAdmissionEnabled,
  apiServerEventRateLimitEnabled,
  securityWebhookFailsClosed,
  securityWebhookExclusionsNarrow,
  webhookTimeoutShort,
];
