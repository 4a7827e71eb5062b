// Questions about every request a policy can see, answered exactly on the request space
// (space.ts): which rules decide a class of requests, and which rules can never match.
// What a good policy must ensure is spec/semantics.md §5.3.

import type { AuditLevel, AuditPolicy, PolicyRule } from './policy.js';
import { levelAtLeast } from './policy.js';
import { RequestSpace, intersectAll, subtractAll, type Box, type Dimension, type RequestClass } from './space.js';

/** A named class of requests the checks ask about. */
export interface NamedClass {
  /** How messages name it: `Secrets`, `pods/exec`. */
  label: string;
  request: RequestClass;
}

const resourceClass = (label: string, apiGroup: string, resource: string, subresource: string, verbs: string[]): NamedClass => ({
  label,
  request: { kind: ['resource'], apiGroup: [apiGroup], resource: [resource], subresource: [subresource], verb: verbs },
});

// Verbs each class of request really has (spec/semantics.md §1.1), so that a rule that covers
// every real verb is not reported for verbs no request carries.
const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
/** Connect subresources (exec, attach, portforward): POST, or GET for WebSocket upgrades. */
const CONNECT_VERBS = ['create', 'get'];
/** Proxy subresources take any HTTP method; the verb comes from it. */
const PROXY_VERBS = ['get', 'create', 'update', 'patch', 'delete'];
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Requests whose bodies carry secret values (§5.3.2): logged at Request or RequestResponse, the values land in the log. */
export const SECRET_BEARING_CLASSES: NamedClass[] = [
  resourceClass('Secrets', '', 'secrets', '', RESOURCE_VERBS),
  resourceClass('ConfigMaps', '', 'configmaps', '', RESOURCE_VERBS),
  resourceClass('TokenReviews', 'authentication.k8s.io', 'tokenreviews', '', ['create']),
  resourceClass('serviceaccounts/token (TokenRequest)', '', 'serviceaccounts', 'token', ['create']),
];

/** Requests an audit trail must show, at least at Metadata (§5.3.5, CIS 3.2.2). */
export const SECURITY_RELEVANT_CLASSES: NamedClass[] = [
  resourceClass('Secret access', '', 'secrets', '', RESOURCE_VERBS),
  ...['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].map((r) => resourceClass(`RBAC changes (${r})`, RBAC_GROUP, r, '', WRITE_VERBS)),
  ...['exec', 'attach', 'portforward'].map((sub) => resourceClass(`pods/${sub}`, '', 'pods', sub, CONNECT_VERBS)),
  resourceClass('pods/ephemeralcontainers', '', 'pods', 'ephemeralcontainers', ['update', 'patch']),
  ...['pods', 'services', 'nodes'].map((r) => resourceClass(`${r}/proxy`, '', r, 'proxy', PROXY_VERBS)),
  resourceClass('serviceaccounts/token (TokenRequest)', '', 'serviceaccounts', 'token', ['create']),
  resourceClass('certificatesigningrequests/approval', 'certificates.k8s.io', 'certificatesigningrequests', 'approval', ['update', 'patch']),
  ...['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'].map((r) =>
    resourceClass(`admission webhook changes (${r})`, 'admissionregistration.k8s.io', r, '', WRITE_VERBS),
  ),
];

export interface ClassDecision {
  rule: PolicyRule;
  /** The part of the class this rule decides (it is the first match for these requests). */
  boxes: Box[];
}

export interface ClassOutcome {
  decisions: ClassDecision[];
  /** Requests of the class no rule matches: they get the default level None. */
  fallThrough: Box[];
}

export class PolicyAnalysis {
  private readonly space: RequestSpace;
  private readonly boxes: Box[][];

  constructor(readonly policy: AuditPolicy, classes: readonly NamedClass[] = [...SECRET_BEARING_CLASSES, ...SECURITY_RELEVANT_CLASSES]) {
    this.space = new RequestSpace(policy, classes.map((c) => c.request));
    this.boxes = policy.rules.map((r) => this.space.ruleBoxes(r));
  }

  /** Walks the rules in order over a class of requests: which rule is first to match which part of it. */
  decide(c: NamedClass): ClassOutcome {
    let remaining: Box[] = [this.space.classBox(c.request)];
    const decisions: ClassDecision[] = [];
    this.policy.rules.forEach((rule, i) => {
      if (!remaining.length) return;
      const hit = intersectAll(remaining, this.boxes[i]!);
      if (!hit.length) return;
      decisions.push({ rule, boxes: hit });
      remaining = subtractAll(remaining, this.boxes[i]!);
    });
    return { decisions, fallThrough: remaining };
  }

  /**
   * Rules that can never match because the rules before them match every request they would:
   * each with the earlier rules that take some of its requests first.
   */
  shadowed(): { rule: PolicyRule; by: PolicyRule[] }[] {
    const out: { rule: PolicyRule; by: PolicyRule[] }[] = [];
    this.policy.rules.forEach((rule, j) => {
      let remaining = this.boxes[j]!;
      if (!remaining.length) return; // matches nothing by itself (e.g. no URL); not shadowed by anyone
      const by: PolicyRule[] = [];
      for (let i = 0; i < j && remaining.length; i++) {
        if (!intersectAll(remaining, this.boxes[i]!).length) continue;
        by.push(this.policy.rules[i]!);
        remaining = subtractAll(remaining, this.boxes[i]!);
      }
      if (!remaining.length) out.push({ rule, by });
    });
    return out;
  }

  /** One dimension of a set of boxes in words, for messages: `create, patch`, `every verb except get`. */
  describe(boxes: Box[], d: Dimension, noun: string, scope?: readonly string[]): string {
    return this.space.describe(boxes, d, noun, scope);
  }
}

/** A rule with no selector at all: it matches every request, resource or not. */
export function isCatchAll(rule: PolicyRule): boolean {
  return (
    !rule.users.length && !rule.userGroups.length && !rule.verbs.length && !rule.resources.length && !rule.namespaces.length && !rule.nonResourceURLs.length
  );
}

/** Rules of a class outcome that decide at a level of at least `min`. */
export function decisionsAtLeast(outcome: ClassOutcome, min: AuditLevel): ClassDecision[] {
  return outcome.decisions.filter((d) => levelAtLeast(d.rule.level, min));
}

