// Kubernetes' default RBAC policy: the ClusterRoles, Roles and bindings the API server creates at
// start-up (`rbac.authorization.kubernetes.io/autoupdate`). A scan of manifests does not contain
// them, yet every binding to `admin`, `edit`, `view` or `system:*` refers to them.
//
// The table itself (bootstrap-policy-data.ts) is generated from a real kube-apiserver by
// scripts/gen-bootstrap-policy.mjs — never written from memory — and test/oracle/rbac.test.ts
// proves it equals, rule for rule, what the server creates at start (feature gates at their
// defaults; roles behind alpha gates are therefore not in it).

import type { Rule } from './types.js';
import { BOOTSTRAP_BINDINGS, BOOTSTRAP_POLICY_RELEASE, BOOTSTRAP_ROLES } from './bootstrap-policy-data.js';

export { BOOTSTRAP_BINDINGS, BOOTSTRAP_POLICY_RELEASE, BOOTSTRAP_ROLES };

export interface BootstrapRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface BootstrapRole {
  name: string;
  /** Set for a namespaced Role. */
  namespace?: string;
  labels?: Record<string, string>;
  /** Label keys (value "true") of an aggregated ClusterRole's selectors. */
  aggregateFrom?: string[];
  rules: BootstrapRule[];
}

export interface BootstrapBinding {
  name: string;
  namespace?: string;
  role: { kind: 'Role' | 'ClusterRole'; name: string };
  subjects: { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string }[];
}

const CONTROLLER_PREFIX = 'system:controller:';

/** The system:controller:* ClusterRoles, each used by the kube-system service account of its name. */
export const BOOTSTRAP_CONTROLLER_ROLES: BootstrapRole[] = BOOTSTRAP_ROLES.filter((r) => !r.namespace && r.name.startsWith(CONTROLLER_PREFIX));
export const BOOTSTRAP_CONTROLLER_ROLE_BINDINGS: BootstrapBinding[] = BOOTSTRAP_BINDINGS.filter(
  (b) => !b.namespace && b.role.kind === 'ClusterRole' && b.role.name.startsWith(CONTROLLER_PREFIX),
);

/** A table rule as the engine's Rule (absent fields as empty lists). */
export function toRule(r: BootstrapRule): Rule {
  return { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], resourceNames: r.resourceNames ?? [], nonResourceURLs: r.nonResourceURLs ?? [] };
}
