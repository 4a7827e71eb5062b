// `rbac unused`: for each subject the input's bindings name, the grants it holds and never used
// in the window of the audit logs, rule by rule, and the narrowed policy (the one `generate rbac`
// writes from the same evidence, limited to what the current grants allow) beside the current
// roles as a diff.
//
// A subject's grants are those of the bindings that name it (its own, the ones a change can
// narrow); grants it has through groups (system:authenticated, system:serviceaccounts, …) are
// shared with others and left out. A part of a rule is "used" when an observed request of the
// subject, allowed at the time, matches it in the binding's scope.

import { createTwoFilesPatch } from 'diff';
import { Document } from 'yaml';
import { identityOf, grantApplies, resolveSubject, subjectKey, type Grant, type RbacEngine, type SubjectId } from '../analysis/rbac/engine.js';
import type { Evidence, ShapeEvidence, SubjectEvidence } from '../analysis/rbac/evidence.js';
import { addToShapes } from '../analysis/rbac/evidence.js';
import { describeRequest } from '../analysis/rbac/request.js';
import { describeRule, isFullWildcard, ruleAllows, type Request } from '../analysis/rbac/rules.js';
import type { RoleRef, Rule } from '../analysis/rbac/types.js';
import { describeBinding, describeRole } from '../analysis/rbac/types.js';
import { defaultPolicyEngine, mergeShapes, policyFromShapes, subjectOfUser, type GenerateOptions } from './generate-rbac.js';
import { atomsOf, flowLists, OTHER_NAMES, renderPolicy, ruleObject, yamlText, type DryRun } from './rbac-from-evidence.js';

export type GrantStatus = 'unused' | 'partly used' | 'used';

export interface GrantUse {
  binding: { kind: string; namespace?: string; name: string };
  role: RoleRef;
  /** The role whose rules[index] this is (an aggregated role's rules come from others). */
  rule: { role: RoleRef; index: number };
  /** "" cluster-wide, else the RoleBinding's namespace. */
  scope: string;
  description: string;
  requests: number;
  status: GrantStatus;
  used: { request: string; count: number }[];
  unused: string[];
}

export interface SubjectUnused {
  subject: SubjectId;
  /** Allowed requests of the subject in the logs. */
  requests: number;
  grants: GrantUse[];
  current: string;
  proposed: string;
  dryRun: DryRun;
  diff: string;
}

export interface UnusedAnswer {
  window: { from?: string; to?: string };
  subjects: SubjectUnused[];
}

/** Subjects named by the input's own bindings (not by Kubernetes' defaults). */
function subjectsOf(engine: RbacEngine): SubjectId[] {
  const out = new Map<string, SubjectId>();
  for (const b of engine.bindings) {
    if (!('manifest' in b.origin)) continue;
    for (const s of b.subjects) {
      const id = resolveSubject(s, b);
      out.set(subjectKey(id), id);
    }
  }
  return [...out.values()].sort((a, b) => subjectKey(a).localeCompare(subjectKey(b)));
}

function evidenceOf(subject: SubjectId, evidence: Evidence): SubjectEvidence[] {
  const key = subjectKey(subject);
  return [...evidence.subjects.values()].filter((e) => (subject.kind === 'Group' ? e.groups.has(subject.name) : subjectKey(subjectOfUser(e.user)) === key));
}

/** Concrete requests of a shape with their counts (names not kept stand as one "(other names)"). */
function weighted(shape: ShapeEvidence): { request: Request; count: number }[] {
  const r = shape.request;
  if (r.type !== 'resource') return [{ request: r, count: shape.count }];
  const out = [...shape.names].map(([name, count]) => ({ request: { ...r, name }, count }));
  const named = out.reduce((n, x) => n + x.count, 0);
  const rest = shape.count - named - shape.unnamed;
  if (shape.manyNames && rest > 0) out.push({ request: { ...r, name: OTHER_NAMES }, count: rest });
  if (shape.unnamed > 0) out.push({ request: r, count: shape.unnamed });
  return out;
}

function grantUse(grant: Grant, requests: { request: Request; count: number }[]): GrantUse {
  const rule = grant.placed.rule;
  const matching = requests.filter((x) => grantApplies(grant, x.request) && ruleAllows(rule, x.request));
  const used = new Map<string, number>();
  for (const x of matching) used.set(describeRequest(x.request), (used.get(describeRequest(x.request)) ?? 0) + x.count);
  const total = matching.reduce((n, x) => n + x.count, 0);
  const wildcard = hasWildcard(rule);
  const unusedAtoms = atomsOf(rule, grant.scope)
    .filter((atom) => !matching.some((x) => ruleAllows(atom.rule, x.request)))
    .map((atom) => atom.text);
  const unused = wildcard && total > 0 ? [...unusedAtoms, `everything else its wildcards (*) allow`] : unusedAtoms;
  const status: GrantStatus = total === 0 ? 'unused' : unused.length ? 'partly used' : 'used';
  const b = grant.binding;
  return {
    binding: { kind: b.kind, ...(b.namespace !== undefined ? { namespace: b.namespace } : {}), name: b.name },
    role: b.roleRef,
    rule: { role: grant.placed.role, index: grant.placed.index },
    scope: grant.scope,
    description: `${describeBinding(b)} → ${describeRole(b.roleRef)} rules[${grant.placed.index}]: ${describeRule(rule)}${grant.scope ? ` in namespace ${grant.scope}` : ' cluster-wide'}`,
    requests: total,
    status,
    used: [...used].map(([request, count]) => ({ request, count })).sort((a, b) => b.count - a.count || a.request.localeCompare(b.request)),
    unused: total === 0 ? [wildcard ? 'all of it (wildcards included)' : 'all of it'] : unused,
  };
}

function hasWildcard(rule: Rule): boolean {
  return isFullWildcard(rule) || [rule.verbs, rule.apiGroups, rule.resources, rule.nonResourceURLs].some((l) => l.some((v) => v === '*' || v.startsWith('*/') || v.endsWith('*')));
}

/** The roles and bindings a subject holds now, as YAML, for the diff. */
function currentYaml(engine: RbacEngine, grants: Grant[]): string {
  const docs: string[] = [];
  const seenRoles = new Set<string>();
  const seenBindings = new Set<string>();
  for (const g of grants) {
    const b = g.binding;
    const bKey = describeBinding(b);
    if (!seenBindings.has(bKey)) {
      seenBindings.add(bKey);
      const ref = b.roleRef;
      const rKey = describeRole(ref);
      if (!seenRoles.has(rKey)) {
        seenRoles.add(rKey);
        const rules = (engine.rulesOf(ref) ?? []).map((p) => ruleObject(p.rule));
        const metadata = ref.kind === 'Role' ? { name: ref.name, namespace: ref.namespace } : { name: ref.name };
        docs.push(yamlText(flowLists(new Document({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: ref.kind, metadata, rules }, { version: '1.1' }))));
      }
      const metadata = b.kind === 'RoleBinding' ? { name: b.name, namespace: b.namespace } : { name: b.name };
      const subjects = b.subjects.map((s) => ({ kind: s.kind, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) }));
      const doc = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: b.kind, metadata, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: ref.kind, name: ref.name }, subjects };
      docs.push(yamlText(flowLists(new Document(doc, { version: '1.1' }))));
    }
  }
  return docs.join('---\n');
}

/** The shapes' requests that the subject's own grants allow (the narrowed policy grants no more than now). */
function allowedByGrants(shapes: Iterable<ShapeEvidence>, grants: Grant[]): Map<string, ShapeEvidence> {
  const out = new Map<string, ShapeEvidence>();
  const allows = (req: Request) => grants.some((g) => grantApplies(g, req) && ruleAllows(g.placed.rule, req));
  for (const shape of shapes) {
    for (const x of weighted(shape)) {
      if (!allows(x.request)) continue;
      // Names past those kept: counted, and the shape keeps saying it had many names.
      if (x.request.type === 'resource' && x.request.name === OTHER_NAMES) addToShapes(out, { ...x.request, name: '' }, x.count, new Map(), 0, true);
      else addToShapes(out, x.request, x.count);
    }
  }
  return out;
}

export function unusedGrants(engine: RbacEngine, evidence: Evidence, options: GenerateOptions = {}): UnusedAnswer {
  const defaults = options.includeDefaults ? undefined : defaultPolicyEngine();
  const subjects: SubjectUnused[] = [];
  for (const subject of subjectsOf(engine)) {
    if (options.subject && subjectKey(options.subject) !== subjectKey(subject)) continue;
    const key = subjectKey(subject);
    const identity = identityOf(subject);
    const grants = engine.grantsFor(identity).filter((g) => subjectKey(resolveSubject(g.subject, g.binding)) === key && 'manifest' in g.binding.origin);
    const users = evidenceOf(subject, evidence);
    const shapes = mergeShapes(users, (u) => u.allowed);
    const requests = [...shapes.values()].flatMap(weighted);
    const uses = grants.map((g) => grantUse(g, requests));
    const narrowed = allowedByGrants(shapes.values(), grants);
    const policy = policyFromShapes(
      { subject, users: users.map((u) => u.user).sort(), first: users.map((u) => u.first).filter(Boolean).sort()[0], last: users.map((u) => u.last).filter(Boolean).sort().at(-1) },
      narrowed.values(),
      mergeShapes(users, (u) => u.denied).values(),
      users.length === 1 ? { user: users[0]!.user, groups: [...users[0]!.groups] } : identity,
      defaults,
      options,
    );
    const rendered = renderPolicy(policy);
    const current = currentYaml(engine, grants);
    subjects.push({
      subject,
      requests: requests.reduce((n, x) => n + x.count, 0),
      grants: uses,
      current,
      proposed: rendered.yaml,
      dryRun: rendered.dryRun,
      diff: createTwoFilesPatch('current', 'proposed', current, rendered.yaml, undefined, undefined, { context: 3 }),
    });
  }
  return { window: evidence.stats.window, subjects };
}
