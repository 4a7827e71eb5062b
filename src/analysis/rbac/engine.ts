// The RBAC engine: answers as the API server's authorizer chain would (the system:masters
// privileged-group authorizer, then RBAC), for any identity, offline. Built once per inventory.
// Sources: spec/semantics.md §1.2–1.5 (upstream rbac.go, validation/rule.go VisitRulesFor).

import type { Inventory } from '../../inventory/inventory.js';
import { aggregateClusterRoles } from './aggregation.js';
import { BOOTSTRAP_BINDINGS, BOOTSTRAP_ROLES, toRule, type BootstrapBinding, type BootstrapRole } from './bootstrap-policy.js';
import { parseRbac } from './parse.js';
import { ruleAllows, type Request } from './rules.js';
import type { BindingDef, PlacedRule, RbacProblem, RoleDef, RoleRef, SubjectDef, SubjectKind } from './types.js';
import { describeBinding, describeRole } from './types.js';

export const MASTERS_GROUP = 'system:masters';
const AUTHENTICATED_GROUP = 'system:authenticated';
const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
const ANONYMOUS_USER = 'system:anonymous';
const SA_PREFIX = 'system:serviceaccount:';
const ALL_SA_GROUP = 'system:serviceaccounts';

/** What the authorizer sees of a caller: a user name and groups. */
export interface Identity {
  /** "" for "a member of these groups" without a particular user. */
  user: string;
  groups: string[];
}

/** One way a request or permission is granted: a binding, the subject in it, and the rule. */
export interface Grant {
  binding: BindingDef;
  subject: SubjectDef;
  placed: PlacedRule;
  /** "" when granted cluster-wide (ClusterRoleBinding), else the RoleBinding's namespace. */
  scope: string;
}

export interface Decision {
  allowed: boolean;
  /** Every grant that allows it (empty when allowed only through system:masters). */
  grants: Grant[];
  /** Set when the privileged-group authorizer allows it before RBAC is asked. */
  masters?: boolean;
}

/** A subject as bindings name it, with a ServiceAccount's namespace resolved. */
export interface SubjectId {
  kind: SubjectKind;
  name: string;
  namespace?: string;
}

export interface EngineOptions {
  /** Add Kubernetes' default roles and bindings that the input does not define (default true). */
  bootstrap?: boolean;
  /** Namespace of objects that do not say (as `kubectl apply -n NS` would place them); default "default". */
  defaultNamespace?: string;
}

function serviceAccountUser(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/** Splits `system:serviceaccount:NS:NAME`; undefined for other user names. */
export function parseServiceAccountUser(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const rest = user.slice(SA_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

/** The identity the API server gives a subject once authenticated (util.go; every user gets system:authenticated). */
export function identityOf(subject: SubjectId): Identity {
  if (subject.kind === 'Group') return { user: '', groups: [subject.name] };
  const user = subject.kind === 'ServiceAccount' ? serviceAccountUser(subject.namespace ?? '', subject.name) : subject.name;
  if (user === ANONYMOUS_USER) return { user, groups: [UNAUTHENTICATED_GROUP] };
  const sa = parseServiceAccountUser(user);
  const groups = sa ? [ALL_SA_GROUP, `${ALL_SA_GROUP}:${sa.namespace}`, AUTHENTICATED_GROUP] : [AUTHENTICATED_GROUP];
  return { user, groups };
}

/** The subject a binding's subject names, a ServiceAccount's namespace defaulting to the binding's. */
export function resolveSubject(subject: SubjectDef, binding: BindingDef): SubjectId {
  if (subject.kind !== 'ServiceAccount') return { kind: subject.kind, name: subject.name };
  return { kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace ?? binding.namespace ?? '' };
}

export function subjectKey(s: SubjectId): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace}:${s.name}` : `${s.kind}:${s.name}`;
}

export function describeSubject(s: SubjectId): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`;
}

/** The key under which a subject is indexed: the user name it matches, or the group. */
function matchKey(s: SubjectId): string {
  if (s.kind === 'Group') return `g:${s.name}`;
  return `u:${s.kind === 'ServiceAccount' ? serviceAccountUser(s.namespace ?? '', s.name) : s.name}`;
}

export class RbacEngine {
  readonly roles: RoleDef[];
  readonly bindings: BindingDef[];
  readonly problems: RbacProblem[];
  private readonly clusterRoles = new Map<string, RoleDef>();
  private readonly namespacedRoles = new Map<string, RoleDef>();
  private readonly aggregated: Map<string, PlacedRule[]>;
  private readonly clusterBindings: BindingDef[] = [];
  private readonly bindingsByNamespace = new Map<string, BindingDef[]>();
  /** matchKey → (binding, subject) pairs that name it. */
  private readonly bySubject = new Map<string, { binding: BindingDef; subject: SubjectDef }[]>();

  constructor(
    roles: RoleDef[],
    bindings: BindingDef[],
    problems: RbacProblem[] = [],
    readonly defaultNamespace = 'default',
  ) {
    this.roles = roles;
    this.bindings = bindings;
    this.problems = [...problems];
    for (const role of roles) {
      if (role.ref.kind === 'ClusterRole') this.clusterRoles.set(role.ref.name, role);
      else this.namespacedRoles.set(`${role.ref.namespace}/${role.ref.name}`, role);
    }
    const agg = aggregateClusterRoles(this.clusterRoles);
    this.aggregated = agg.rules;
    this.problems.push(...agg.problems);
    for (const b of bindings) {
      if (b.kind === 'ClusterRoleBinding') this.clusterBindings.push(b);
      else {
        let list = this.bindingsByNamespace.get(b.namespace ?? '');
        if (!list) this.bindingsByNamespace.set(b.namespace ?? '', (list = []));
        list.push(b);
      }
      for (const subject of b.subjects) {
        const key = matchKey(resolveSubject(subject, b));
        let list = this.bySubject.get(key);
        if (!list) this.bySubject.set(key, (list = []));
        list.push({ binding: b, subject });
      }
    }
  }

  static fromInventory(inventory: Inventory, options: EngineOptions = {}): RbacEngine {
    const defaultNamespace = options.defaultNamespace ?? 'default';
    const parsed = parseRbac(inventory, defaultNamespace);
    const roles = [...parsed.roles];
    const bindings = [...parsed.bindings];
    if (options.bootstrap !== false) {
      const haveRole = new Set(roles.map((r) => roleId(r.ref)));
      for (const def of BOOTSTRAP_ROLES) {
        const role = bootstrapRole(def);
        if (!haveRole.has(roleId(role.ref))) roles.push(role);
      }
      const haveBinding = new Set(bindings.map((b) => `${b.kind}:${b.namespace ?? ''}:${b.name}`));
      for (const def of BOOTSTRAP_BINDINGS) {
        const binding = bootstrapBinding(def);
        if (!haveBinding.has(`${binding.kind}:${binding.namespace ?? ''}:${binding.name}`)) bindings.push(binding);
      }
    }
    return new RbacEngine(roles, bindings, parsed.problems, defaultNamespace);
  }

  findRole(ref: RoleRef): RoleDef | undefined {
    return ref.kind === 'ClusterRole' ? this.clusterRoles.get(ref.name) : this.namespacedRoles.get(`${ref.namespace}/${ref.name}`);
  }

  /** The rules a role grants now (an aggregate's computed rules); undefined when the role does not exist. */
  rulesOf(ref: RoleRef): PlacedRule[] | undefined {
    const role = this.findRole(ref);
    if (!role) return undefined;
    return role.aggregationSelectors ? (this.aggregated.get(role.ref.name) ?? []) : role.rules;
  }

  /** Bindings that apply to requests in a namespace: every ClusterRoleBinding, plus RoleBindings of that namespace. */
  bindingsFor(namespace: string): BindingDef[] {
    if (namespace === '') return this.clusterBindings;
    return [...this.clusterBindings, ...(this.bindingsByNamespace.get(namespace) ?? [])];
  }

  /** Namespaces that have RoleBindings. */
  bindingNamespaces(): string[] {
    return [...this.bindingsByNamespace.keys()];
  }

  /** Decides a request for an identity, listing every grant that allows it. */
  authorize(identity: Identity, request: Request): Decision {
    const grants = this.grantsFor(identity).filter((g) => grantApplies(g, request) && ruleAllows(g.placed.rule, request));
    if (identity.groups.includes(MASTERS_GROUP)) return { allowed: true, grants, masters: true };
    return { allowed: grants.length > 0, grants };
  }

  /** Every rule an identity holds, with its scope and the binding that grants it (VisitRulesFor, all namespaces). */
  grantsFor(identity: Identity): Grant[] {
    const keys = [...(identity.user ? [`u:${identity.user}`] : []), ...identity.groups.map((g) => `g:${g}`)];
    const out: Grant[] = [];
    for (const key of keys) {
      for (const { binding, subject } of this.bySubject.get(key) ?? []) {
        for (const placed of this.rulesOf(binding.roleRef) ?? []) {
          out.push({ binding, subject, placed, scope: binding.kind === 'ClusterRoleBinding' ? '' : (binding.namespace ?? '') });
        }
      }
    }
    return out;
  }

  /**
   * Every subject named in a binding that may make this request, with how; system:masters first.
   * `inSomeNamespace`: for a resource request without a namespace, also those who may make it in
   * at least one namespace (through a RoleBinding there; each grant's scope says where).
   */
  whoCan(request: Request, inSomeNamespace = false): { subject: SubjectId; grants: Grant[]; masters?: boolean }[] {
    const found = new Map<string, { subject: SubjectId; grants: Grant[]; masters?: boolean }>();
    found.set(`Group:${MASTERS_GROUP}`, { subject: { kind: 'Group', name: MASTERS_GROUP }, grants: [], masters: true });
    const namespace = request.type === 'resource' ? request.namespace : '';
    const everyBinding = inSomeNamespace && request.type === 'resource' && namespace === '';
    for (const binding of everyBinding ? this.bindings : this.bindingsFor(namespace)) {
      const rules = this.rulesOf(binding.roleRef);
      if (!rules) continue;
      for (const placed of rules) {
        if (!ruleAllows(placed.rule, request)) continue;
        for (const subject of binding.subjects) {
          const id = resolveSubject(subject, binding);
          const key = subjectKey(id);
          let entry = found.get(key);
          if (!entry) found.set(key, (entry = { subject: id, grants: [] }));
          entry.grants.push({ binding, subject, placed, scope: binding.kind === 'ClusterRoleBinding' ? '' : (binding.namespace ?? '') });
        }
      }
    }
    return [...found.values()];
  }

  /** Bindings whose roleRef names a role that does not exist (they grant nothing until it appears). */
  danglingBindings(): BindingDef[] {
    return this.bindings.filter((b) => !this.findRole(b.roleRef));
  }
}

/** Whether a grant's scope covers the request's namespace (RoleBindings never reach namespace ""). */
export function grantApplies(grant: Grant, request: Request): boolean {
  if (grant.scope === '') return true;
  return request.type === 'resource' && request.namespace === grant.scope;
}

/** `RoleBinding dev/rb1 → ClusterRole edit (aggregated from ClusterRole system:aggregate-to-edit) rules[2]` */
export function describeGrant(g: Grant): string {
  const bound = describeRole(g.binding.roleRef);
  const source = describeRole(g.placed.role);
  const from = source === bound ? '' : ` (aggregated from ${source})`;
  return `${describeBinding(g.binding)} → ${bound}${from} rules[${g.placed.index}]`;
}

function roleId(ref: RoleRef): string {
  return `${ref.kind}:${ref.namespace ?? ''}:${ref.name}`;
}

function bootstrapRole(def: BootstrapRole): RoleDef {
  const ref: RoleRef = def.namespace ? { kind: 'Role', namespace: def.namespace, name: def.name } : { kind: 'ClusterRole', name: def.name };
  return {
    ref,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...def.labels },
    rules: def.rules.map((r, index) => ({ rule: toRule(r), role: ref, index })),
    aggregationSelectors: def.aggregateFrom?.map((key) => ({ matchLabels: { [key]: 'true' }, matchExpressions: [] })),
    origin: { bootstrap: true },
  };
}

function bootstrapBinding(def: BootstrapBinding): BindingDef {
  return {
    kind: def.namespace ? 'RoleBinding' : 'ClusterRoleBinding',
    namespace: def.namespace,
    name: def.name,
    roleRef: { kind: def.role.kind, name: def.role.name, namespace: def.role.kind === 'Role' ? def.namespace : undefined },
    subjects: def.subjects.map((s, index) => ({ ...s, index })),
    origin: { bootstrap: true },
  };
}
