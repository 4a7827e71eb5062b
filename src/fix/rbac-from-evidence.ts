// The objects and YAML of a generated least-privilege policy (src/fix/generate-rbac.ts), and its
// dry run: before anything is written, the YAML is read back by kubeharden's own RBAC engine
// (the same parser and authorizer as `rbac who-can`), with nothing else in the cluster model,
// and must (1) allow every observed request it was made from, (2) contain no verb, resource,
// name or scope that no observed request used, and (3) the denied requests it would now allow
// are named (a rule without resourceNames allows every name: that is the one generalisation).

import { Document, isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { identityOf, RbacEngine, type SubjectId } from '../analysis/rbac/engine.js';
import type { ShapeEvidence } from '../analysis/rbac/evidence.js';
import { describeRequest } from '../analysis/rbac/request.js';
import { ruleAllows, type Request } from '../analysis/rbac/rules.js';
import type { Rule } from '../analysis/rbac/types.js';
import { Inventory } from '../inventory/inventory.js';
import { addText } from '../inventory/parse-manifest.js';
import type { GeneratedRule, SubjectPolicy } from './generate-rbac.js';

const RBAC_API = 'rbac.authorization.k8s.io';
/** Stands for the names past those kept (not a valid object name, so it never matches a real one). */
export const OTHER_NAMES = '(other names)';
const API_VERSION = `${RBAC_API}/v1`;

export interface DryRun {
  ok: boolean;
  /** Allowed requests the rules were made from, and how many distinct shapes. */
  requests: number;
  shapes: number;
  /** Observed requests the generated objects do not allow (must be empty). */
  notAllowed: string[];
  /** Parts of rules no observed request used (must be empty). */
  unused: string[];
  /** Requests the logs show denied that the generated rules allow. */
  deniedNowAllowed: string[];
}

export interface RenderedPolicy {
  policy: SubjectPolicy;
  objects: Record<string, unknown>[];
  yaml: string;
  dryRun: DryRun;
}

/** `kubeharden-observed-sa-team-app`: names stay valid (no `/` or `%`) and say where they came from. */
export function objectName(subject: SubjectId): string {
  const raw = subject.kind === 'ServiceAccount' ? `sa-${subject.namespace}-${subject.name}` : `${subject.kind.toLowerCase()}-${subject.name}`;
  return `kubeharden-observed-${raw.replace(/[^A-Za-z0-9.:@_-]/g, '-')}`.slice(0, 253);
}

function bindingSubject(subject: SubjectId): Record<string, string> {
  return subject.kind === 'ServiceAccount'
    ? { kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace ?? '' }
    : { kind: subject.kind, apiGroup: RBAC_API, name: subject.name };
}

export function ruleObject(rule: Rule): Record<string, string[]> {
  if (rule.nonResourceURLs.length) return { nonResourceURLs: rule.nonResourceURLs, verbs: rule.verbs };
  return { apiGroups: rule.apiGroups, resources: rule.resources, ...(rule.resourceNames.length ? { resourceNames: rule.resourceNames } : {}), verbs: rule.verbs };
}

/** Role (or ClusterRole) and binding documents per scope, each rule with its comment. */
function documentsOf(policy: SubjectPolicy): { objects: Record<string, unknown>[]; docs: Document[] } {
  const name = objectName(policy.subject);
  const scopes = [...new Set(policy.rules.map((r) => r.scope))].sort();
  const objects: Record<string, unknown>[] = [];
  const docs: Document[] = [];
  for (const scope of scopes) {
    const rules = policy.rules.filter((r) => r.scope === scope);
    const meta = (extra: Record<string, string>) => ({ name, ...extra, labels: { 'app.kubernetes.io/managed-by': 'kubeharden' } });
    const role = scope
      ? { apiVersion: API_VERSION, kind: 'Role', metadata: meta({ namespace: scope }), rules: rules.map((r) => ruleObject(r.rule)) }
      : { apiVersion: API_VERSION, kind: 'ClusterRole', metadata: meta({}), rules: rules.map((r) => ruleObject(r.rule)) };
    const binding = {
      apiVersion: API_VERSION,
      kind: scope ? 'RoleBinding' : 'ClusterRoleBinding',
      metadata: meta(scope ? { namespace: scope } : {}),
      roleRef: { apiGroup: RBAC_API, kind: scope ? 'Role' : 'ClusterRole', name },
      subjects: [bindingSubject(policy.subject)],
    };
    objects.push(role, binding);
    docs.push(commentedRole(role, rules), flowLists(new Document(binding, { version: '1.1' })));
  }
  return { objects, docs };
}

function commentedRole(role: Record<string, unknown>, rules: GeneratedRule[]): Document {
  const doc = flowLists(new Document(role, { version: '1.1' }));
  const seq = doc.get('rules', true) as YAMLSeq;
  seq.items.forEach((item, i) => {
    const g = rules[i]!;
    // In the order of the rule's verbs.
    const entries = g.rule.verbs.filter((v) => v in g.byVerb).map((v) => [v, g.byVerb[v]!] as const);
    const count = `${g.requests} request${g.requests === 1 ? '' : 's'}`;
    const covers = entries.length === 1 ? `${count} (${entries[0]![0]})` : `${count}: ${entries.map(([v, n]) => `${v} ${n}`).join(', ')}`;
    const lines = [...g.warnings.map((w) => ` WARNING: ${w}`), ` ${covers}`];
    (item as YAMLMap).commentBefore = lines.join('\n');
  });
  return doc;
}

/** Lists of strings inside rules and subjects print as `[get, list]`, as people write them. */
export function flowLists(doc: Document): Document {
  const visit = (node: unknown) => {
    if (isSeq(node)) {
      if (node.items.every((i) => !isMap(i) && !isSeq(i))) node.flow = true;
      else node.items.forEach(visit);
    } else if (isMap(node)) node.items.forEach((p) => visit(p.value));
  };
  visit(doc.contents);
  return doc;
}

export const yamlText = (doc: Document): string => doc.toString({ lineWidth: 0, flowCollectionPadding: false });

/** Renders a policy and runs its dry run; the YAML starts with what the dry run found. */
export function renderPolicy(policy: SubjectPolicy): RenderedPolicy {
  const { objects, docs } = documentsOf(policy);
  const body = docs.map(yamlText).join('---\n');
  const dryRun = verifyPolicy(policy, body);
  const header = headerOf(policy, dryRun);
  if (docs.length === 0) return { policy, objects, yaml: header.map((l) => `#${l}`).join('\n') + '\n', dryRun };
  docs[0]!.commentBefore = header.join('\n');
  return { policy, objects, yaml: docs.map(yamlText).join('---\n'), dryRun };
}

function subjectText(s: SubjectId): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`;
}

function headerOf(p: SubjectPolicy, d: DryRun): string[] {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [` ${subjectText(p.subject)}: ${plural(p.requests, 'request')} allowed${p.first ? ` between ${p.first} and ${p.last}` : ''}`];
  if (p.users.length > 1 || p.subject.kind === 'Group') lines.push(` users: ${p.users.join(', ')}`);
  if (p.coveredByDefaults) lines.push(` ${plural(p.coveredByDefaults, 'request')} already allowed by Kubernetes' default policy (discovery, /version, …): not granted again`);
  if (p.outsideNamespace) lines.push(` ${plural(p.outsideNamespace, 'request')} outside the chosen namespace: left out`);
  if (d.ok) {
    lines.push(
      ` Dry run (kubeharden RBAC engine, these objects alone): all ${plural(d.requests, 'remaining request')} (${plural(d.shapes, 'request shape')}) allowed;`,
      '   every verb, resource, name and namespace in the rules was used by an observed request.',
      '   Generalisation: a rule without resourceNames allows every object name of its resources.',
    );
  } else {
    lines.push(' Dry run FAILED (kubeharden RBAC engine): do not apply these rules as they are');
    for (const n of d.notAllowed) lines.push(`   not allowed: ${n}`);
    for (const u of d.unused) lines.push(`   never used: ${u}`);
  }
  for (const w of d.deniedNowAllowed) lines.push(` WARNING: denied in the logs, allowed by these rules (a rule without resourceNames): ${w}`);
  if (p.denied.length) {
    lines.push(' Denied, not granted:');
    for (const s of p.denied) lines.push(`   ${describeRequest(s.request)}${s.names.length ? ` (names: ${s.names.join(', ')})` : ''}: ${plural(s.count, 'request')}`);
  }
  if (p.rules.length === 0) lines.push(' Nothing to grant.');
  return lines;
}

/** The concrete requests a shape stands for: one per name seen, and one without a name. */
function requestsOf(shape: Pick<ShapeEvidence, 'request' | 'names' | 'unnamed' | 'manyNames'>): Request[] {
  const r = shape.request;
  if (r.type !== 'resource') return [r];
  const out: Request[] = [...shape.names.keys()].map((name) => ({ ...r, name }));
  // A shape with more names than were kept: a name not seen stands for the rest.
  if (shape.manyNames) out.push({ ...r, name: OTHER_NAMES });
  if (shape.unnamed > 0 || out.length === 0) out.push(r);
  return out;
}

export function verifyPolicy(policy: SubjectPolicy, yaml: string): DryRun {
  const inventory = new Inventory();
  addText(inventory, 'generated.yaml', yaml, 0);
  const engine = RbacEngine.fromInventory(inventory, { bootstrap: false });
  const identity = identityOf(policy.subject);
  const notAllowed: string[] = [];
  let requests = 0;
  for (const shape of policy.shapes) {
    requests += shape.count;
    for (const req of requestsOf(shape)) if (!engine.authorize(identity, req).allowed) notAllowed.push(describeRequest(req));
  }
  const unused: string[] = [];
  if (engine.problems.length) unused.push(...engine.problems.map((p) => `the generated YAML is not valid RBAC: ${p.message}`));
  const observed = byAction(policy.shapes.flatMap(requestsOf));
  for (const grant of engine.grantsFor(identity)) {
    for (const atom of atomsOf(grant.placed.rule, grant.scope)) {
      if (!atomUsed(atom, candidates(observed, atom.rule))) unused.push(atom.text);
    }
  }
  const deniedNowAllowed: string[] = [];
  for (const d of policy.denied) {
    const names = new Map(d.names.map((n) => [n, 1]));
    for (const req of requestsOf({ request: d.request, names, unnamed: d.names.length ? 0 : 1, manyNames: false })) {
      if (engine.authorize(identity, req).allowed) deniedNowAllowed.push(describeRequest(req));
    }
  }
  return { ok: notAllowed.length === 0 && unused.length === 0, requests, shapes: policy.shapes.length, notAllowed, unused, deniedNowAllowed };
}

export interface Atom {
  rule: Rule;
  scope: string;
  /** Set when the atom is one name of a resourceNames rule. */
  name?: string;
  text: string;
}

/** A rule split into single verb × group × resource (× name) × URL parts. */
export function atomsOf(rule: Rule, scope: string): Atom[] {
  const out: Atom[] = [];
  const where = scope ? ` in namespace ${scope}` : ' cluster-wide';
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs) {
      out.push({ rule: { ...rule, verbs: [verb], nonResourceURLs: [url] }, scope, text: `${verb} ${url}` });
    }
    for (const apiGroup of rule.apiGroups) {
      for (const resource of rule.resources) {
        const one: Rule = { ...rule, verbs: [verb], apiGroups: [apiGroup], resources: [resource] };
        // As kubectl and describeRequest write it: deployments.apps/status.
        const [res, ...sub] = resource.split('/');
        const what = `${verb} ${res}${apiGroup ? `.${apiGroup}` : ''}${sub.length ? `/${sub.join('/')}` : ''}`;
        if (rule.resourceNames.length === 0) out.push({ rule: one, scope, text: what + where });
        for (const name of rule.resourceNames) out.push({ rule: { ...one, resourceNames: [name] }, scope, name, text: `${what} named ${name}${where}` });
      }
    }
  }
  return out;
}

const actionOf = (verb: string, groupOrUrl: string, resource: string) => `${verb}\0${groupOrUrl}\0${resource}`;

/** Observed requests by verb, group and resource (URL for non-resource requests), so each atom looks at its own. */
function byAction(requests: Request[]): { index: Map<string, Request[]>; all: Request[] } {
  const index = new Map<string, Request[]>();
  for (const r of requests) {
    const key = r.type === 'resource' ? actionOf(r.verb, r.apiGroup, r.subresource ? `${r.resource}/${r.subresource}` : r.resource) : actionOf(r.verb, r.path, '');
    let list = index.get(key);
    if (!list) index.set(key, (list = []));
    list.push(r);
  }
  return { index, all: requests };
}

/** The requests an atom (one verb, group and resource or URL) can match; all of them when it has a wildcard. */
function candidates(observed: { index: Map<string, Request[]>; all: Request[] }, rule: Rule): Request[] {
  const verb = rule.verbs[0]!;
  if (verb === '*') return observed.all;
  if (rule.nonResourceURLs.length) {
    const url = rule.nonResourceURLs[0]!;
    return url.includes('*') ? observed.all : (observed.index.get(actionOf(verb, url, '')) ?? []);
  }
  const group = rule.apiGroups[0]!;
  const resource = rule.resources[0]!;
  if (group === '*' || resource.includes('*')) return observed.all;
  return observed.index.get(actionOf(verb, group, resource)) ?? [];
}

/**
 * Whether observed requests used this atom in its own scope. A cluster-wide atom needs a request
 * without a namespace (else a Role would do); its name may come from a request in any namespace,
 * since the cluster-wide rule is what allows that one too.
 */
function atomUsed(atom: Atom, requests: Request[]): boolean {
  if (atom.scope) return requests.some((r) => r.type === 'resource' && r.namespace === atom.scope && ruleAllows(atom.rule, r));
  const clusterWide = requests.some((r) => (r.type === 'nonResource' || r.namespace === '') && ruleAllows(atom.rule, r, true));
  return clusterWide && (atom.name === undefined || requests.some((r) => ruleAllows(atom.rule, r)));
}
