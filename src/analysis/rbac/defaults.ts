// Recognises Kubernetes' own RBAC objects in scanned input (a cluster dump, a kubeadm bundle), so
// checks can stay quiet about them unless they were changed from the defaults.

import { BOOTSTRAP_BINDINGS, BOOTSTRAP_ROLES, toRule, type BootstrapBinding, type BootstrapRole } from './bootstrap-policy.js';
import { ruleKey } from './rules.js';
import type { BindingDef, RoleDef } from './types.js';

const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';

const roleTable = new Map<string, BootstrapRole>(
  BOOTSTRAP_ROLES.map((r) => [`${r.namespace ?? ''}/${r.name}`, r]),
);
const bindingTable = new Map<string, BootstrapBinding>(
  BOOTSTRAP_BINDINGS.map((b) => [`${b.namespace ?? ''}/${b.name}`, b]),
);

/**
 * A `system:` object labelled `kubernetes.io/bootstrapping: rbac-defaults` that our table does not
 * hold (a role of another release or behind a feature gate): Kubernetes' own, taken as unchanged.
 */
function isUntabledDefault(name: string, labels: Record<string, string>): boolean {
  return name.startsWith('system:') && labels[BOOTSTRAP_LABEL] === 'rbac-defaults';
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

export function isUnchangedDefaultRole(role: RoleDef): boolean {
  if ('bootstrap' in role.origin) return true;
  const def = roleTable.get(`${role.ref.namespace ?? ''}/${role.ref.name}`);
  if (!def) return isUntabledDefault(role.ref.name, role.labels);
  if (def.aggregateFrom) return Boolean(role.aggregationSelectors); // rules are the controller's
  const want = def.rules.map((r) => ruleKey(toRule(r)));
  // A live cluster stores the default roles with their rules in this same order, but a role
  // written by hand may list them in any order; compare as sets.
  return sameSet(role.rules.map((p) => ruleKey(p.rule)), want);
}

export function isUnchangedDefaultBinding(binding: BindingDef): boolean {
  if ('bootstrap' in binding.origin) return true;
  const labels = binding.origin.manifest.labels;
  const def = bindingTable.get(`${binding.namespace ?? ''}/${binding.name}`);
  if (!def) return isUntabledDefault(binding.name, labels);
  if (def.role.kind !== binding.roleRef.kind || def.role.name !== binding.roleRef.name) return false;
  const key = (s: { kind: string; name: string; namespace?: string }) => `${s.kind}/${s.namespace ?? ''}/${s.name}`;
  return sameSet(binding.subjects.map(key), def.subjects.map(key));
}
