// Least-privilege Roles and ClusterRoles written from evidence: the requests each subject made,
// as an audit log recorded them (src/analysis/rbac/evidence.ts). The rules allow what was
// observed and, within what RBAC can express, nothing else. docs/rbac-from-audit.md states the rules:
//
// - Scope: a request without a namespace (cluster-scoped resource, all-namespace list/watch,
//   non-resource URL) can only be granted cluster-wide: its verb on its resource goes into a
//   ClusterRole bound by a ClusterRoleBinding, which then also covers that verb and resource in
//   every namespace. Everything else goes into a Role of the request's namespace.
// - resourceNames: a verb on a resource (in one scope) is limited to the names it was used on
//   when every such request carried a name (create, list, watch and deletecollection carry none,
//   unless list/watch select metadata.name), at most `maxNames` names were seen, and the subject
//   did not itself create objects of that resource there in the window (names it creates are
//   likely generated, so not stable).
// - Requests Kubernetes' default policy already allows the user (discovery, /version,
//   selfsubjectreviews, …; or everything, for the controller-manager) are not repeated.
// - Denied requests (the authorizer's `forbid`, or 403 without a decision) are never granted;
//   they are listed in the output as "denied, not granted".
// - Users that RBAC does not decide for are skipped with the reason: members of system:masters
//   (allowed before RBAC), nodes (the Node authorizer), system:anonymous (unless asked for).

import { MASTERS_GROUP, parseServiceAccountUser, RbacEngine, subjectKey, type Identity, type SubjectId } from '../analysis/rbac/engine.js';
import type { Evidence, ShapeEvidence, SubjectEvidence } from '../analysis/rbac/evidence.js';
import { addToShapes } from '../analysis/rbac/evidence.js';
import { ruleKey, type Request } from '../analysis/rbac/rules.js';
import type { Rule } from '../analysis/rbac/types.js';
import { Inventory } from '../inventory/inventory.js';

export const DEFAULT_MAX_NAMES = 5;
const RBAC_API = 'rbac.authorization.k8s.io';
const RBAC_WRITE_RESOURCES = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);
const WRITE_VERBS = new Set(['create', 'update', 'patch']);

export interface GenerateOptions {
  /** Only this subject (a Group gathers the requests of every user seen in it). */
  subject?: SubjectId;
  /** Only requests in this namespace (cluster-wide requests are left out and counted). */
  namespace?: string;
  maxNames?: number;
  /** Also grant what Kubernetes' default policy already allows. */
  includeDefaults?: boolean;
}

/** One generated rule, where it is granted, and the requests it covers. */
export interface GeneratedRule {
  /** "" = ClusterRole (cluster-wide), else the namespace of the Role. */
  scope: string;
  rule: Rule;
  requests: number;
  /** "get 10, list 2" — requests per verb. */
  byVerb: Record<string, number>;
  warnings: string[];
}

export interface DeniedShape {
  request: Request;
  count: number;
  names: string[];
}

export interface SubjectPolicy {
  subject: SubjectId;
  /** Users whose requests are in it (more than one for a Group). */
  users: string[];
  first?: string;
  last?: string;
  /** Allowed requests observed, after the namespace filter. */
  requests: number;
  /** Of those, requests Kubernetes' default policy already allows (not granted again). */
  coveredByDefaults: number;
  /** Requests outside --namespace, left out. */
  outsideNamespace: number;
  rules: GeneratedRule[];
  /** The request shapes the rules are made from (for the dry run). */
  shapes: ShapeEvidence[];
  denied: DeniedShape[];
  warnings: string[];
}

export interface SkippedUser {
  user: string;
  reason: string;
  requests: number;
}

export interface RbacGeneration {
  policies: SubjectPolicy[];
  skipped: SkippedUser[];
}

/** The subject a user name stands for: a ServiceAccount for `system:serviceaccount:NS:NAME`. */
export function subjectOfUser(user: string): SubjectId {
  const sa = parseServiceAccountUser(user);
  return sa ? { kind: 'ServiceAccount', ...sa } : { kind: 'User', name: user };
}

function skipReason(e: SubjectEvidence): string | undefined {
  if (e.groups.has(MASTERS_GROUP)) return 'member of system:masters: allowed everything before RBAC is asked';
  if (e.user.startsWith('system:node:') || e.groups.has('system:nodes')) return 'a node: authorized by the Node authorizer, not RBAC';
  if (e.user === 'system:anonymous') return 'anonymous: name it with --subject user:system:anonymous to write rules for it';
  return undefined;
}

function total(shapes: Iterable<ShapeEvidence>): number {
  let n = 0;
  for (const s of shapes) n += s.count;
  return n;
}

export function generateRbac(evidence: Evidence, options: GenerateOptions = {}): RbacGeneration {
  const skipped: SkippedUser[] = [];
  const groups = new Map<string, { subject: SubjectId; users: SubjectEvidence[] }>();
  const wanted = options.subject;
  for (const e of evidence.subjects.values()) {
    if (wanted) {
      const matches = wanted.kind === 'Group' ? e.groups.has(wanted.name) : subjectKey(subjectOfUser(e.user)) === subjectKey(wanted);
      if (!matches) continue;
    }
    const reason = wanted?.kind === 'User' && wanted.name === e.user && e.user === 'system:anonymous' ? undefined : skipReason(e);
    if (reason) {
      skipped.push({ user: e.user, reason, requests: total(e.allowed.values()) + total(e.denied.values()) });
      continue;
    }
    const subject = wanted?.kind === 'Group' ? wanted : subjectOfUser(e.user);
    const key = subjectKey(subject);
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { subject, users: [] }));
    entry.users.push(e);
  }
  const defaults = options.includeDefaults ? undefined : defaultPolicyEngine();
  const policies = [...groups.values()]
    .map(({ subject, users }) => policyFor(subject, users, defaults, options))
    .sort((a, b) => subjectKey(a.subject).localeCompare(subjectKey(b.subject)));
  return { policies, skipped: skipped.sort((a, b) => a.user.localeCompare(b.user)) };
}

/** Merges the shapes of several users (a Group subject), keeping names and counts. */
export function mergeShapes(users: SubjectEvidence[], pick: (e: SubjectEvidence) => Map<string, ShapeEvidence>): Map<string, ShapeEvidence> {
  if (users.length === 1) return pick(users[0]!);
  const out = new Map<string, ShapeEvidence>();
  for (const u of users) for (const s of pick(u).values()) addToShapes(out, s.request, s.count, s.names, s.unnamed, s.manyNames);
  return out;
}

function inNamespace(req: Request, namespace: string | undefined): boolean {
  return namespace === undefined || (req.type === 'resource' && req.namespace === namespace);
}

/** The part of a shape the default policy does not already allow; undefined when it allows all of it. */
function beyondDefaults(shape: ShapeEvidence, defaults: RbacEngine, identity: Identity): ShapeEvidence | undefined {
  if (defaults.authorize(identity, shape.request).allowed) return undefined;
  if (shape.request.type !== 'resource' || shape.names.size === 0) return shape;
  const names = new Map<string, number>();
  let covered = 0;
  for (const [name, n] of shape.names) {
    if (defaults.authorize(identity, { ...shape.request, name }).allowed) covered += n;
    else names.set(name, n);
  }
  if (covered === 0) return shape;
  if (names.size === 0 && shape.unnamed === 0 && !shape.manyNames) return undefined;
  return { ...shape, names, count: shape.count - covered };
}

function policyFor(subject: SubjectId, users: SubjectEvidence[], defaults: RbacEngine | undefined, options: GenerateOptions): SubjectPolicy {
  const groupsSeen = new Set<string>();
  for (const u of users) for (const g of u.groups) groupsSeen.add(g);
  // A Group's members are authenticated (unless the group is system:unauthenticated): what every
  // authenticated user may do is not granted to the group again.
  const identity: Identity =
    subject.kind === 'Group'
      ? { user: '', groups: subject.name === 'system:unauthenticated' ? [subject.name] : [subject.name, 'system:authenticated'] }
      : { user: users[0]!.user, groups: [...groupsSeen] };
  return policyFromShapes(
    { subject, users: users.map((u) => u.user).sort(), first: users.map((u) => u.first).filter(Boolean).sort()[0], last: users.map((u) => u.last).filter(Boolean).sort().at(-1) },
    mergeShapes(users, (u) => u.allowed).values(),
    mergeShapes(users, (u) => u.denied).values(),
    identity,
    defaults,
    options,
  );
}

/** The policy for a subject from the request shapes it made (allowed) and was refused (denied). */
export function policyFromShapes(
  who: Pick<SubjectPolicy, 'subject' | 'users' | 'first' | 'last'>,
  allowed: Iterable<ShapeEvidence>,
  denied: Iterable<ShapeEvidence>,
  identity: Identity,
  defaults: RbacEngine | undefined,
  options: GenerateOptions,
): SubjectPolicy {
  let requests = 0;
  let coveredByDefaults = 0;
  let outsideNamespace = 0;
  const kept: ShapeEvidence[] = [];
  for (const shape of allowed) {
    if (!inNamespace(shape.request, options.namespace)) {
      outsideNamespace += shape.count;
      continue;
    }
    requests += shape.count;
    const rest = defaults ? beyondDefaults(shape, defaults, identity) : shape;
    coveredByDefaults += shape.count - (rest?.count ?? 0);
    if (rest) kept.push(rest);
  }
  const rules = rulesFrom(kept, options.maxNames ?? DEFAULT_MAX_NAMES);
  const warnings = [...new Set(rules.flatMap((r) => r.warnings))];
  const deniedShapes = [...denied]
    .filter((s) => inNamespace(s.request, options.namespace))
    .map((s) => ({ request: s.request, count: s.count, names: [...s.names.keys()].sort() }));
  return { ...who, requests, coveredByDefaults, outsideNamespace, rules, shapes: kept, denied: deniedShapes, warnings };
}

/** Kubernetes' default roles and bindings alone, to tell what every user may already do. */
export function defaultPolicyEngine(): RbacEngine {
  return RbacEngine.fromInventory(new Inventory(), { bootstrap: true });
}

/** A verb on a resource (or URL) in one scope, with the names it was used on. */
interface Action {
  scope: string;
  apiGroup: string;
  /** `pods`, `pods/status`; for a URL: the path. */
  resource: string;
  nonResource: boolean;
  verb: string;
  count: number;
  unnamed: number;
  names: Map<string, number>;
  manyNames: boolean;
}

function rulesFrom(shapes: ShapeEvidence[], maxNames: number): GeneratedRule[] {
  // 1. Scope: a verb on a resource seen without a namespace is granted cluster-wide, and then
  //    covers the same verb and resource in every namespace.
  const clusterWide = new Set<string>();
  const actionKey = (r: Request) => (r.type === 'resource' ? `${r.apiGroup}\0${r.resource}\0${r.subresource}\0${r.verb}` : `\0url\0${r.path}\0${r.verb}`);
  for (const s of shapes) if (s.request.type === 'nonResource' || s.request.namespace === '') clusterWide.add(actionKey(s.request));
  const actions = new Map<string, Action>();
  for (const s of shapes) {
    const r = s.request;
    const scope = r.type === 'resource' && !clusterWide.has(actionKey(r)) ? r.namespace : '';
    const key = `${scope}\0${actionKey(r)}`;
    let a = actions.get(key);
    if (!a) {
      a = r.type === 'resource'
        ? { scope, apiGroup: r.apiGroup, resource: r.subresource ? `${r.resource}/${r.subresource}` : r.resource, nonResource: false, verb: r.verb, count: 0, unnamed: 0, names: new Map(), manyNames: false }
        : { scope, apiGroup: '', resource: r.path, nonResource: true, verb: r.verb, count: 0, unnamed: 0, names: new Map(), manyNames: false };
      actions.set(key, a);
    }
    a.count += s.count;
    a.unnamed += s.unnamed;
    a.manyNames ||= s.manyNames;
    for (const [n, c] of s.names) a.names.set(n, (a.names.get(n) ?? 0) + c);
  }
  // 2. Names: kept when every request named an object, there are few, and the subject did not create them.
  const creates = new Set<string>();
  for (const a of actions.values()) if (a.verb === 'create' && !a.nonResource && !a.resource.includes('/')) creates.add(`${a.scope}\0${a.apiGroup}\0${a.resource}`);
  const namesOf = (a: Action): string[] | undefined => {
    if (a.nonResource || a.unnamed > 0 || a.manyNames || a.names.size === 0 || a.names.size > maxNames) return undefined;
    const parent = a.resource.split('/')[0];
    if (creates.has(`${a.scope}\0${a.apiGroup}\0${parent}`) || creates.has(`\0${a.apiGroup}\0${parent}`)) return undefined;
    return [...a.names.keys()].sort();
  };
  // 3. One rule per (scope, group, names, verbs), resources merged; each rule's verbs × resources × names were all seen.
  const byResource = new Map<string, { scope: string; apiGroup: string; resource: string; nonResource: boolean; names?: string[]; verbs: Map<string, number> }>();
  for (const a of actions.values()) {
    const names = namesOf(a);
    const key = `${a.scope}\0${a.nonResource}\0${a.apiGroup}\0${a.resource}\0${names?.join(',') ?? '*'}`;
    let e = byResource.get(key);
    if (!e) byResource.set(key, (e = { scope: a.scope, apiGroup: a.apiGroup, resource: a.resource, nonResource: a.nonResource, names, verbs: new Map() }));
    e.verbs.set(a.verb, (e.verbs.get(a.verb) ?? 0) + a.count);
  }
  const rules = new Map<string, GeneratedRule>();
  for (const e of byResource.values()) {
    const verbs = [...e.verbs.keys()].sort(verbOrder);
    const key = `${e.scope}\0${e.nonResource}\0${e.apiGroup}\0${verbs.join(',')}\0${e.names?.join(',') ?? '*'}`;
    let g = rules.get(key);
    if (!g) {
      const rule: Rule = e.nonResource
        ? { verbs, apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [] }
        : { verbs, apiGroups: [e.apiGroup], resources: [], resourceNames: e.names ?? [], nonResourceURLs: [] };
      rules.set(key, (g = { scope: e.scope, rule, requests: 0, byVerb: {}, warnings: [] }));
    }
    (e.nonResource ? g.rule.nonResourceURLs : g.rule.resources).push(e.resource);
    for (const [verb, n] of e.verbs) {
      g.requests += n;
      g.byVerb[verb] = (g.byVerb[verb] ?? 0) + n;
    }
  }
  const out = [...rules.values()];
  for (const g of out) {
    g.rule.resources.sort();
    g.rule.nonResourceURLs.sort();
    g.warnings = warningsFor(g.rule);
  }
  return out.sort((a, b) => (a.scope === b.scope ? ruleKey(a.rule).localeCompare(ruleKey(b.rule)) : a.scope.localeCompare(b.scope)));
}

const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
function verbOrder(a: string, b: string): number {
  const ia = VERB_ORDER.indexOf(a);
  const ib = VERB_ORDER.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
  return a.localeCompare(b);
}

/** What a reviewer must look at: verbs that act as another identity or hand out permissions. */
function warningsFor(rule: Rule): string[] {
  const out: string[] = [];
  if (rule.verbs.includes('impersonate')) {
    out.push('impersonate: this subject acts as other identities (spec/semantics.md §2.2 E14); keep the names as narrow as shown');
  }
  for (const verb of ['bind', 'escalate']) {
    if (rule.verbs.includes(verb)) out.push(`${verb}: lets this subject grant permissions it does not hold (§1.8)`);
  }
  const rbacWrites = rule.apiGroups.includes(RBAC_API) && rule.resources.some((r) => RBAC_WRITE_RESOURCES.has(r)) && rule.verbs.some((v) => WRITE_VERBS.has(v));
  if (rbacWrites) {
    out.push(
      'writes RBAC objects: the API server also requires the writer to hold every permission it grants, or `bind`/`escalate` on the roles (§1.8); ' +
        'an audit log does not record which was used, so neither is added — if the writes fail, add `bind` limited by resourceNames to the roles it binds',
    );
  }
  return out;
}
