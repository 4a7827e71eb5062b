// Aggregated ClusterRoles, filled as the clusterrole-aggregation controller fills them
// (spec/semantics.md §1.6): for each selector in order, every other ClusterRole matching it,
// sorted by name, contributes its rules, identical rules once. The aggregate's own `rules` are
// replaced. Aggregates of aggregates converge over repeated passes; we compute the fixed point.

import { selectorMatches } from './parse.js';
import { ruleKey } from './rules.js';
import type { PlacedRule, RbacProblem, RoleDef } from './types.js';

/** Returns the rules of every aggregated ClusterRole by name, and warnings (cycles, replaced rules). */
export function aggregateClusterRoles(clusterRoles: Map<string, RoleDef>): { rules: Map<string, PlacedRule[]>; problems: RbacProblem[] } {
  const problems: RbacProblem[] = [];
  const aggregates = [...clusterRoles.values()].filter((r) => r.aggregationSelectors);
  const sorted = [...clusterRoles.values()].sort((a, b) => (a.ref.name < b.ref.name ? -1 : a.ref.name > b.ref.name ? 1 : 0));
  const sources = new Map<string, RoleDef[][]>();
  for (const agg of aggregates) {
    sources.set(
      agg.ref.name,
      (agg.aggregationSelectors ?? []).map((sel) => sorted.filter((c) => c !== agg && selectorMatches(sel, c.labels))),
    );
  }
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
            const key = ruleKey(placed.rule);
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
    const selected = new Set(computed.map((p) => ruleKey(p.rule)));
    const stale = agg.rules.filter((p) => !selected.has(ruleKey(p.rule)));
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
