// Aggregated ClusterRoles, filled as the clusterrole-aggregation controller fills them
// (spec/semantics.md §1.6): for each selector in order, every other ClusterRole matching it,
// sorted by name, contributes its rules, identical rules once. The aggregate's own `rules` are
// replaced. Aggregates of aggregates converge over repeated passes; we compute the fixed point.

import { selectorMatches } from './parse.js';
import { ruleKey } from './rules.js';
import type { LabelSelector, PlacedRule, RbacProblem, RoleDef, Rule } from './types.js';

/** Returns the rules of every aggregated ClusterRole by name, and warnings (cycles, replaced rules). */
export function aggregateClusterRoles(clusterRoles: Map<string, RoleDef>): { rules: Map<string, PlacedRule[]>; problems: RbacProblem[] } {
  const problems: RbacProblem[] = [];
  const aggregates = [...clusterRoles.values()].filter((r) => r.aggregationSelectors);
  const sorted = [...clusterRoles.values()].sort((a, b) => (a.ref.name < b.ref.name ? -1 : a.ref.name > b.ref.name ? 1 : 0));
  // ClusterRoles by label (in name order): a selector's candidates are the roles that carry the
  // rarest of its matchLabels, not every ClusterRole (aggregates × ClusterRoles was most of the
  // RBAC analysis of a large cluster).
  const byLabel = new Map<string, RoleDef[]>();
  for (const role of sorted) {
    for (const [k, v] of Object.entries(role.labels)) {
      const key = `${k}\u0000${v}`;
      let list = byLabel.get(key);
      if (!list) byLabel.set(key, (list = []));
      list.push(role);
    }
  }
  const candidatesFor = (sel: LabelSelector): RoleDef[] => {
    let fewest: RoleDef[] = sorted;
    for (const [k, v] of Object.entries(sel.matchLabels)) {
      const list = byLabel.get(`${k}\u0000${v}`) ?? [];
      if (list.length < fewest.length) fewest = list;
    }
    return fewest;
  };
  const sources = new Map<string, RoleDef[][]>();
  for (const agg of aggregates) {
    sources.set(
      agg.ref.name,
      (agg.aggregationSelectors ?? []).map((sel) => candidatesFor(sel).filter((c) => c !== agg && selectorMatches(sel, c.labels))),
    );
  }
  // A rule's identity, made once per rule rather than once per aggregate and pass.
  const keys = new Map<Rule, string>();
  const keyOf = (rule: Rule): string => {
    let key = keys.get(rule);
    if (key === undefined) keys.set(rule, (key = ruleKey(rule)));
    return key;
  };
  const current = new Map<string, PlacedRule[]>(aggregates.map((a) => [a.ref.name, []]));
  const rulesOf = (role: RoleDef) => current.get(role.ref.name) ?? role.rules;
  // Each pass can only add rules (sources grow monotonically), so this ends after at most one
  // pass per aggregate plus one.
  for (let pass = 0; pass <= aggregates.length; pass++) {
    let changed = false;
    for (const agg of aggregates) {
      const seen = new Set<string>();
      const next: PlacedRule[] = [];
      for (const group of sources.get(agg.ref.name) ?? []) {
        for (const source of group) {
          for (const placed of rulesOf(source)) {
            const key = keyOf(placed.rule);
            if (seen.has(key)) continue;
            seen.add(key);
            next.push(placed);
          }
        }
      }
      if (next.length !== (current.get(agg.ref.name) ?? []).length) changed = true;
      current.set(agg.ref.name, next);
    }
    if (!changed) break;
  }
  for (const cycle of findCycles(aggregates, sources)) {
    problems.push({
      object: manifestOf(clusterRoles.get(cycle[0] as string)),
      path: ['aggregationRule'],
      message: `aggregation cycle ${cycle.join(' → ')}: each of these ClusterRoles ends up with the union of all their rules`,
    });
  }
  // The stored rules of an aggregate are the controller's last result and can lag behind the
  // selectors (spec/semantics.md §1.6): rules stored but not selected still apply until the
  // controller rewrites the role, so they are kept, with a warning.
  for (const agg of aggregates) {
    if (!('manifest' in agg.origin)) continue;
    const computed = current.get(agg.ref.name) ?? [];
    const selected = new Set(computed.map((p) => keyOf(p.rule)));
    const stale = agg.rules.filter((p) => !selected.has(keyOf(p.rule)));
    if (!stale.length) continue;
    current.set(agg.ref.name, [...computed, ...stale]);
    problems.push({
      object: agg.origin.manifest,
      path: ['rules', stale[0]?.index ?? 0],
      message:
        `ClusterRole ${agg.ref.name} has an aggregationRule, and ${stale.length} of its rules come from no selected ClusterRole: ` +
        'the aggregation controller replaces them (they apply only until it does); put them in a ClusterRole with a matching label',
    });
  }
  return { rules: current, problems };
}

function manifestOf(role: RoleDef | undefined) {
  return role && 'manifest' in role.origin ? role.origin.manifest : undefined;
}

/** Cycles among aggregates selecting each other (each reported once, from its smallest name). */
function findCycles(aggregates: RoleDef[], sources: Map<string, RoleDef[][]>): string[][] {
  const isAggregate = new Set(aggregates.map((a) => a.ref.name));
  const edges = new Map<string, string[]>();
  for (const [name, groups] of sources) {
    edges.set(name, [...new Set(groups.flat().map((r) => r.ref.name).filter((n) => isAggregate.has(n)))]);
  }
  const cycles: string[][] = [];
  const reported = new Set<string>();
  for (const start of [...isAggregate].sort()) {
    // Shortest cycle back to `start`, by breadth-first search.
    const prev = new Map<string, string>();
    const queue = [start];
    let found: string | undefined;
    while (queue.length && !found) {
      const node = queue.shift() as string;
      for (const next of edges.get(node) ?? []) {
        if (next === start) { found = node; break; }
        if (!prev.has(next)) { prev.set(next, node); queue.push(next); }
      }
    }
    if (!found) continue;
    const path = [found];
    while (path[0] !== start) path.unshift(prev.get(path[0] as string) as string);
    const key = [...path].sort().join('\u0000');
    if (reported.has(key)) continue;
    reported.add(key);
    cycles.push([...path, start]);
  }
  return cycles;
}
