import type { Check } from '../types.js';
import { auditPolicyEndsWithCatchAll } from './audit-policy-ends-with-catch-all.js';
import { auditPolicyKeepsSecretsOutOfLogs } from './audit-policy-keeps-secrets-out-of-logs.js';
import { auditPolicyRecordsSecurityEvents } from './audit-policy-records-security-events.js';
import { auditPolicyRulesReachable } from './audit-policy-rules-reachable.js';
import { auditPolicyValid } from './audit-policy-valid.js';

/** Every audit-logging check, in the order reports list them. */
export const auditChecks: Check[] = [
  auditPolicyValid,
  auditPolicyKeepsSecretsOutOfLogs,
  auditPolicyRecordsSecurityEvents,
  auditPolicyRulesReachable,
  auditPolicyEndsWithCatchAll,
];
