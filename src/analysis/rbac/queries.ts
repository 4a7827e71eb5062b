// The answers of `rbac who-can` and `rbac can`, in the documented JSON shapes. The CLI only
// parses arguments and renders these.

import type { RoleRef } from './types.js';
import { describeGrant, identityOf, MASTERS_GROUP, type Grant, type Identity, type RbacEngine, type SubjectId } from './engine.js';
import type { Request } from './rules.js';

export interface Via {
  binding: { kind: string; namespace?: string; name: string };
  role: RoleRef;
  /** The role whose `rules[index]` matched (differs from `role` for an aggregated ClusterRole). */
  rule: { role: RoleRef; index: number };
  /** "" for cluster-wide, else the namespace a RoleBinding limits it to. */
  scope: string;
  description: string;
}

export interface WhoCanSubject {
  kind: SubjectId['kind'];
  name: string;
  namespace?: string;
  via: (Via | { privilegedGroup: true; description: string })[];
}

export interface WhoCanAnswer {
  request: Request;
  subjects: WhoCanSubject[];
}

function toVia(g: Grant): Via {
  const b = g.binding;
  return {
    binding: { kind: b.kind, ...(b.namespace !== undefined ? { namespace: b.namespace } : {}), name: b.name },
    role: b.roleRef,
    rule: { role: g.placed.role, index: g.placed.index },
    scope: g.scope,
    description: describeGrant(g),
  };
}

const MASTERS_VIA = { privilegedGroup: true as const, description: 'members of system:masters bypass RBAC (privileged-group authorizer)' };

export function whoCan(engine: RbacEngine, request: Request, inSomeNamespace = false): WhoCanAnswer {
  const subjects = engine.whoCan(request, inSomeNamespace).map(({ subject, grants, masters }) => ({
    kind: subject.kind,
    name: subject.name,
    ...(subject.namespace !== undefined ? { namespace: subject.namespace } : {}),
    via: [...(masters ? [MASTERS_VIA] : []), ...grants.map(toVia)],
  }));
  return { request, subjects };
}

export interface EffectiveRule {
  /** "" for cluster-wide (ClusterRoleBinding), else the namespace. */
  scope: string;
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  via: Via;
}

export interface CanAnswer {
  subject: SubjectId;
  identity: Identity;
  /** True when the identity is in system:masters and so may do anything. */
  unrestricted: boolean;
  rules: EffectiveRule[];
}

/** Like `kubectl auth can-i --list`, for any subject, every namespace at once. */
export function effectivePermissions(engine: RbacEngine, subject: SubjectId, extraGroups: string[] = []): CanAnswer {
  const base = identityOf(subject);
  const identity = { user: base.user, groups: [...new Set([...base.groups, ...extraGroups])] };
  const rules = engine
    .grantsFor(identity)
    // A RoleBinding never grants non-resource URLs (their requests have namespace "").
    .filter((g) => !(g.scope !== '' && g.placed.rule.nonResourceURLs.length > 0))
    .map((g) => ({ scope: g.scope, ...g.placed.rule, via: toVia(g) }))
    .sort((a, b) => (a.scope === b.scope ? 0 : a.scope === '' ? -1 : b.scope === '' ? 1 : a.scope < b.scope ? -1 : 1));
  return { subject, identity, unrestricted: identity.groups.includes(MASTERS_GROUP), rules };
}
