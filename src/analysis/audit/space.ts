// The set of requests a rule matches, as a union of boxes, so questions about *all* requests
// ("which rules can ever decide a Secret request?", "can rule 7 ever match?") are answered
// exactly instead of by sampling.
//
// Every matching condition of checker.go compares a request attribute with strings written in
// the policy. So every attribute value that the policy (and the question) does not mention
// behaves like any other unmentioned value, and one representative, OTHER, stands for all of
// them. Each dimension then has a small finite universe and a rule's match set is a finite
// union of products of subsets ("boxes"); set difference of boxes is exact.
//
// Groups: a rule with userGroups matches when *some* group of the request is listed. A request
// with several groups matches every rule that one of its groups matches, so whether a set of
// requests is covered by earlier rules can be decided on requests with at most one group; the
// group dimension is therefore "the one group, or NONE".

import { pathMatches, resourcePatternMatches } from './evaluate.js';
import type { AuditPolicy, PolicyRule } from './policy.js';

const OTHER = '\u0000other';
const NO_GROUP = '\u0000none';

const DIMENSIONS = ['user', 'group', 'verb', 'kind', 'namespace', 'apiGroup', 'resource', 'subresource', 'name', 'path'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
const D = DIMENSIONS.length;
const dim = (d: Dimension): number => DIMENSIONS.indexOf(d);

/** A product of one value set per dimension. */
export type Box = ReadonlySet<string>[];

/** What a question about a class of requests fixes; dimensions left out mean "any". */
export type RequestClass = Partial<Record<Dimension, string[]>>;

export class RequestSpace {
  private readonly universes: ReadonlySet<string>[];

  constructor(policy: AuditPolicy, classes: readonly RequestClass[] = []) {
    const values: Set<string>[] = DIMENSIONS.map(() => new Set([OTHER]));
    values[dim('group')]!.add(NO_GROUP);
    values[dim('kind')] = new Set(['resource', 'nonResource']);
    values[dim('namespace')]!.add('');
    values[dim('subresource')]!.add('');
    const prefixes: string[] = [];
    for (const rule of policy.rules) {
      rule.users.forEach((v) => values[dim('user')]!.add(v));
      rule.userGroups.forEach((v) => values[dim('group')]!.add(v));
      rule.verbs.forEach((v) => values[dim('verb')]!.add(v));
      rule.namespaces.forEach((v) => values[dim('namespace')]!.add(v));
      for (const gr of rule.resources) {
        if (gr.group !== '*') values[dim('apiGroup')]!.add(gr.group);
        gr.resourceNames.forEach((v) => values[dim('name')]!.add(v));
        for (const pattern of gr.resources) {
          const slash = pattern.indexOf('/');
          values[dim('resource')]!.add(slash === -1 ? pattern : pattern.slice(0, slash));
          if (slash !== -1) values[dim('subresource')]!.add(pattern.slice(slash + 1));
        }
      }
      for (const spec of rule.nonResourceURLs) {
        if (spec.endsWith('*')) prefixes.push(spec.replace(/\*+$/, ''));
        else values[dim('path')]!.add(spec);
      }
    }
    for (const c of classes) {
      for (const d of DIMENSIONS) c[d]?.forEach((v) => values[dim(d)]!.add(v));
    }
    // A path's matches depend only on which written paths it equals and which written prefixes
    // it starts with: each prefix, the prefix followed by an unwritten character, and a path
    // that starts with no written prefix stand for all paths.
    const paths = values[dim('path')]!;
    paths.delete(OTHER);
    for (const p of prefixes) {
      paths.add(p);
      paths.add(p + '\uffff');
    }
    paths.add('/\uffff');
    this.universes = values;
  }

  /**
   * One dimension of a set of boxes in words: `create, patch`, `every verb`, `every verb except get`.
   * `scope`: the values the question allows (a class's verbs); "every" then means all of those.
   */
  describe(boxes: Box[], d: Dimension, noun: string, scope?: readonly string[]): string {
    const universe = scope ? new Set(scope) : this.universes[dim(d)]!;
    const seen = new Set<string>();
    for (const b of boxes) for (const v of b[dim(d)]!) seen.add(v);
    const named = (vs: Iterable<string>) => [...vs].filter((v) => v !== OTHER && v !== NO_GROUP).map((v) => (v === '' ? '""' : v)).sort().join(', ');
    if (seen.size === universe.size) return `every ${noun}`;
    if (seen.has(OTHER) || seen.has(NO_GROUP)) return `every ${noun} except ${named([...universe].filter((v) => !seen.has(v)))}`;
    return named(seen);
  }

  full(): Box {
    return [...this.universes];
  }

  /** The requests a rule matches, as boxes (empty list: none). */
  ruleBoxes(rule: PolicyRule): Box[] {
    const base = this.full().slice();
    const restrict = (d: Dimension, list: string[]) => {
      if (list.length) base[dim(d)] = new Set(list);
    };
    restrict('user', rule.users);
    restrict('group', rule.userGroups);
    restrict('verb', rule.verbs);
    if (rule.namespaces.length || rule.resources.length) {
      base[dim('kind')] = new Set(['resource']);
      restrict('namespace', rule.namespaces);
      if (!rule.resources.length) return [base];
      return rule.resources.flatMap((gr) => {
        const withGroup = base.slice();
        withGroup[dim('apiGroup')] = gr.group === '*' ? this.universes[dim('apiGroup')]! : new Set([gr.group]);
        if (gr.resourceNames.length) withGroup[dim('name')] = new Set(gr.resourceNames);
        if (!gr.resources.length) {
          // An entry without resources covers the whole group, whatever resourceNames says.
          withGroup[dim('name')] = this.universes[dim('name')]!;
          return [withGroup];
        }
        return this.resourcePairBoxes(withGroup, gr.resources);
      });
    }
    if (rule.nonResourceURLs.length) {
      base[dim('kind')] = new Set(['nonResource']);
      base[dim('path')] = new Set([...this.universes[dim('path')]!].filter((p) => rule.nonResourceURLs.some((spec) => pathMatches(p, spec))));
      return isEmpty(base) ? [] : [base];
    }
    return [base];
  }

  /** A class of requests as a box. */
  classBox(c: RequestClass): Box {
    const box = this.full().slice();
    for (const d of DIMENSIONS) if (c[d]) box[dim(d)] = new Set(c[d]);
    return box;
  }

  /** The (resource, subresource) pairs the patterns match, grouped into boxes of equal subresource sets. */
  private resourcePairBoxes(base: Box, patterns: string[]): Box[] {
    const bySubs = new Map<string, { resources: string[]; subs: string[] }>();
    for (const resource of this.universes[dim('resource')]!) {
      const subs = [...this.universes[dim('subresource')]!].filter((sub) => patterns.some((p) => resourcePatternMatches(p, resource, sub)));
      if (!subs.length) continue;
      const key = subs.join('\u0001');
      const entry = bySubs.get(key);
      if (entry) entry.resources.push(resource);
      else bySubs.set(key, { resources: [resource], subs });
    }
    return [...bySubs.values()].map(({ resources, subs }) => {
      const box = base.slice();
      box[dim('resource')] = new Set(resources);
      box[dim('subresource')] = new Set(subs);
      return box;
    });
  }
}

export function isEmpty(box: Box): boolean {
  return box.some((s) => s.size === 0);
}

export function intersect(a: Box, b: Box): Box | undefined {
  const out: Set<string>[] = [];
  for (let k = 0; k < D; k++) {
    const s = new Set([...a[k]!].filter((v) => b[k]!.has(v)));
    if (!s.size) return undefined;
    out.push(s);
  }
  return out;
}

/** a minus b, as disjoint boxes. */
function subtract(a: Box, b: Box): Box[] {
  if (!intersect(a, b)) return [a];
  const out: Box[] = [];
  const prefix: Set<string>[] = [];
  for (let k = 0; k < D; k++) {
    const rest = new Set([...a[k]!].filter((v) => !b[k]!.has(v)));
    if (rest.size) out.push([...prefix, rest, ...a.slice(k + 1)]);
    prefix.push(new Set([...a[k]!].filter((v) => b[k]!.has(v))));
  }
  return out;
}

/** Raised when a question would need more boxes than a policy of any sensible size produces. */
export class SpaceTooLarge extends Error {}
const MAX_BOXES = 20000;

export function subtractAll(from: Box[], boxes: Box[]): Box[] {
  let remaining = from;
  for (const b of boxes) {
    remaining = remaining.flatMap((r) => subtract(r, b));
    if (remaining.length > MAX_BOXES) throw new SpaceTooLarge('the policy is too large to analyse exactly');
  }
  return remaining;
}

export function intersectAll(from: Box[], boxes: Box[]): Box[] {
  const out: Box[] = [];
  for (const a of from) for (const b of boxes) {
    const i = intersect(a, b);
    if (i) out.push(i);
  }
  return out;
}

