// The RBAC model the engine works on: rules, roles and bindings read from manifests (or
// taken from Kubernetes' bootstrap policy), already validated and normalised.

import type { InventoryObject, PathSegment } from '../../inventory/model.js';

/** One PolicyRule, with empty lists where the manifest omits a field. */
export interface Rule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** A rule together with where it is written, so answers can name `ClusterRole edit rules[3]`. */
export interface PlacedRule {
  rule: Rule;
  /** The role whose `rules[index]` this is (for an aggregated role: the role it was copied from). */
  role: RoleRef;
  index: number;
}

export type RoleKind = 'Role' | 'ClusterRole';
export type BindingKind = 'RoleBinding' | 'ClusterRoleBinding';
export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface RoleRef {
  kind: RoleKind;
  /** Set for a Role; undefined for a ClusterRole. */
  namespace?: string;
  name: string;
}

/** Where an RBAC object comes from: a scanned manifest, or Kubernetes' defaults (not in the input). */
export type Origin = { manifest: InventoryObject } | { bootstrap: true };

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

export interface RoleDef {
  ref: RoleRef;
  labels: Record<string, string>;
  /** Rules as written (`rules[i]`), each placed at its own index. */
  rules: PlacedRule[];
  /** Set for an aggregated ClusterRole: the controller replaces `rules` from these selectors. */
  aggregationSelectors?: LabelSelector[];
  origin: Origin;
}

export interface SubjectDef {
  kind: SubjectKind;
  name: string;
  /** As written; for a ServiceAccount in a RoleBinding the binding's namespace applies when empty. */
  namespace?: string;
  /** Index in the binding's `subjects`. */
  index: number;
}

export interface BindingDef {
  kind: BindingKind;
  /** Set for a RoleBinding. */
  namespace?: string;
  name: string;
  roleRef: RoleRef;
  subjects: SubjectDef[];
  origin: Origin;
}

/** A warning about RBAC input: the object and the field at fault. */
export interface RbacProblem {
  object?: InventoryObject;
  path: PathSegment[];
  message: string;
}

export function describeRole(ref: RoleRef): string {
  return ref.kind === 'Role' ? `Role ${ref.namespace}/${ref.name}` : `ClusterRole ${ref.name}`;
}

export function describeBinding(b: Pick<BindingDef, 'kind' | 'namespace' | 'name'>): string {
  return b.kind === 'RoleBinding' ? `RoleBinding ${b.namespace}/${b.name}` : `ClusterRoleBinding ${b.name}`;
}

