// What every RBAC check shares: one RBAC engine per inventory (built on first use), the model
// object of a manifest object, and the test for Kubernetes' own unchanged defaults.

import { isUnchangedDefaultBinding, isUnchangedDefaultRole } from '../../analysis/rbac/defaults.js';
import { RbacEngine } from '../../analysis/rbac/engine.js';
import { EscalationGraph } from '../../analysis/rbac/escalation.js';
import { RBAC_GROUP } from '../../analysis/rbac/parse.js';
import { ruleAllows, type ResourceRequest } from '../../analysis/rbac/rules.js';
import type { BindingDef, PlacedRule, RoleDef, Rule } from '../../analysis/rbac/types.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { InventoryObject } from '../../inventory/model.js';

export interface RbacFacts {
  engine: RbacEngine;
  bindingOf: Map<InventoryObject, BindingDef>;
  roleOf: Map<InventoryObject, RoleDef>;
  /** The escalation graph, built on first use (only the paths check needs it). */
  graph(): EscalationGraph;
}

const cache = new WeakMap<Inventory, RbacFacts>();

export function rbacFacts(inventory: Inventory): RbacFacts {
  let facts = cache.get(inventory);
  if (facts) return facts;
  const engine = RbacEngine.fromInventory(inventory);
  const bindingOf = new Map<InventoryObject, BindingDef>();
  for (const b of engine.bindings) if ('manifest' in b.origin) bindingOf.set(b.origin.manifest, b);
  const roleOf = new Map<InventoryObject, RoleDef>();
  for (const r of engine.roles) if ('manifest' in r.origin) roleOf.set(r.origin.manifest, r);
  let graph: EscalationGraph | undefined;
  facts = { engine, bindingOf, roleOf, graph: () => (graph ??= new EscalationGraph(engine, inventory)) };
  cache.set(inventory, facts);
  return facts;
}

export const BINDING_KINDS = ['ClusterRoleBinding', 'RoleBinding'];
export const ROLE_KINDS = ['ClusterRole', 'Role'];

/** The binding of a manifest object, unless it is not RBAC or is one of Kubernetes' unchanged defaults. */
export function userBinding(obj: InventoryObject, inventory: Inventory): BindingDef | undefined {
  if (obj.group !== RBAC_GROUP) return undefined;
  const b = rbacFacts(inventory).bindingOf.get(obj);
  return b && !isUnchangedDefaultBinding(b) ? b : undefined;
}

export function userRole(obj: InventoryObject, inventory: Inventory): RoleDef | undefined {
  if (obj.group !== RBAC_GROUP) return undefined;
  const r = rbacFacts(inventory).roleOf.get(obj);
  return r && !isUnchangedDefaultRole(r) ? r : undefined;
}

/** A permission: a verb on a resource (with subresource) of a group. */
export interface Permission {
  verbs: string[];
  group: string;
  resource: string;
  subresource?: string;
}

/** Whether a rule allows any verb of the permission on at least one object name. */
export function ruleGrants(rule: Rule, p: Permission, namespace = 'ns'): boolean {
  const anyName: Rule = { ...rule, resourceNames: [] };
  return p.verbs.some((verb) => {
    const req: ResourceRequest = { type: 'resource', verb, apiGroup: p.group, resource: p.resource, subresource: p.subresource ?? '', namespace, name: '' };
    return ruleAllows(anyName, req);
  });
}

export function describePermission(p: Permission): string {
  const res = `${p.resource}${p.subresource ? '/' + p.subresource : ''}`;
  return `${p.verbs.join('/')} on ${p.group ? `${res}.${p.group}` : res}`;
}

/** The rules a binding grants that match a permission (all names). */
export function grantedRules(binding: BindingDef, inventory: Inventory, p: Permission): PlacedRule[] {
  return (rbacFacts(inventory).engine.rulesOf(binding.roleRef) ?? []).filter((r) => ruleGrants(r.rule, p));
}

export function where(binding: BindingDef): string {
  return binding.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace ${binding.namespace}`;
}
