import type { Check } from '../types.js';
import { apiServerAdmissionFlagsValid } from './apiserver-admission-flags-valid.js';
import { apiServerPodSecurityAdmissionEnabled } from './apiserver-pod-security-admission-enabled.js';
import { securityWebhookExclusionsNarrow } from './security-webhook-exclusions-narrow.js';
import { securityWebhookFailsClosed } from './security-webhook-fails-closed.js';
import { webhookTimeoutShort } from './webhook-timeout-short.js';
import { namespaceEnforcesPodSecurity } from './namespace-enforces-pod-security.js';

/** Pod Security labels on namespaces (listed among the workload checks in reports). */
export const namespaceLabelChecks: Check[] = [namespaceEnforcesPodSecurity];

/**
 * Every admission-control check, in the order reports list them. The CIS plugin items (1.2.3,
 * 1.2.9–1.2.14) are node checks (controlplane/admission-plugin-items.ts) that run on static pods too.
 */
export const admissionChecks: Check[] = [
  apiServerAdmissionFlagsValid,
  apiServerPodSecurityAdmissionEnabled,
  securityWebhookFailsClosed,
  securityWebhookExclusionsNarrow,
  webhookTimeoutShort,
];
