import type { Check } from '../types.js';
import { rbacBindEscalateImpersonateRestricted } from './rbac-bind-escalate-impersonate-restricted.js';
import { rbacBindingRoleExists } from './rbac-binding-role-exists.js';
import { rbacClusterAdminBoundOnlyWhereNeeded } from './rbac-cluster-admin-bound-only-where-needed.js';
import { rbacCsrApprovalRestricted } from './rbac-csr-approval-restricted.js';
import { rbacDefaultServiceAccountNotBound } from './rbac-default-service-account-not-bound.js';
import { rbacNoAnonymousOrAllUsersGrants } from './rbac-no-anonymous-or-all-users-grants.js';
import { rbacNoPathToClusterAdmin } from './rbac-no-path-to-cluster-admin.js';
import { rbacNoSystemMastersBinding } from './rbac-no-system-masters-binding.js';
import { rbacNodeWritesRestricted } from './rbac-node-writes-restricted.js';
import { rbacNodesProxyRestricted } from './rbac-nodes-proxy-restricted.js';
import { rbacPodExecRestricted } from './rbac-pod-exec-restricted.js';
import { rbacObjectsWellFormed } from './rbac-objects-well-formed.js';
import { rbacPersistentVolumeCreationRestricted } from './rbac-persistent-volume-creation-restricted.js';
import { rbacPodCreationRestricted } from './rbac-pod-creation-restricted.js';
import { rbacRulesAvoidWildcards } from './rbac-rules-avoid-wildcards.js';
import { rbacSecretAccessRestricted } from './rbac-secret-access-restricted.js';
import { rbacStatusWritesRestricted } from './rbac-status-writes-restricted.js';
import { rbacTokenCreationRestricted } from './rbac-token-creation-restricted.js';
import { rbacWebhookConfigurationRestricted } from './rbac-webhook-configuration-restricted.js';

/** Every rbac check, in the order reports list them (CIS 5.1.x order, then the cross-object checks). */
export const rbacChecks: Check[] = [
  rbacClusterAdminBoundOnlyWhereNeeded,
  rbacSecretAccessRestricted,
  rbacRulesAvoidWildcards,
  rbacPodCreationRestricted,
  rbacDefaultServiceAccountNotBound,
  rbacNoSystemMastersBinding,
  rbacBindEscalateImpersonateRestricted,
  rbacPersistentVolumeCreationRestricted,
  rbacNodesProxyRestricted,
  rbacPodExecRestricted,
  rbacCsrApprovalRestricted,
  rbacWebhookConfigurationRestricted,
  rbacTokenCreationRestricted,
  rbacNodeWritesRestricted,
  rbacStatusWritesRestricted,
  rbacNoAnonymousOrAllUsersGrants,
  rbacBindingRoleExists,
  rbacObjectsWellFormed,
  rbacNoPathToClusterAdmin,
];
