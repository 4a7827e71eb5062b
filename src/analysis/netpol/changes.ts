// What applying new policies changes, flow by flow: the reachability matrix before and after,
// cell by cell, for every pair of workloads with an end in the namespace the policies are for
// (policies of a namespace cannot change any other pair). A cell that loses ports is a cut;
// the cut says whether a policy had allowed those ports on purpose (a rule admitting that
// source or destination) or whether they were only open because nothing isolated either end.

import { Evaluator, type DirectionAnswer, type Endpoint } from './evaluate.js';
import type { NetpolModel, Workload } from './model.js';
import type { PortSet } from './ports.js';
import { describeCell } from './reach.js';
import { formatPath } from '../../inventory/model.js';

export interface FlowChange {
  from: string;
  to: string;
  /** The cell before and after, in the words of `netpol matrix`. */
  before: string;
  after: string;
  /** Ports allowed before and not after (empty when the change only adds). */
  cut: string;
  /** Rules that allowed the cut ports on purpose before, `namespace/name spec.ingress[0]`; empty when they were open by default. */
  declaredBy: string[];
}

export interface MatrixComparison {
  /** Pairs compared: every (source, destination) with an end in the namespace. */
  compared: number;
  changes: FlowChange[];
  /** Pairs a policy allowed on purpose before, and that stay allowed on the same ports. */
  keptDeclared: { from: string; to: string; ports: string; declaredBy: string[] }[];
}

/**
 * Compares two models of the same workloads (`after` = `before` plus policies). The workloads are
 * matched by position: adding policies adds no workload.
 */
export function compareMatrices(before: NetpolModel, after: NetpolModel, namespace: string): MatrixComparison {
  if (before.workloads.length !== after.workloads.length) throw new Error('compareMatrices: the two models do not have the same workloads');
  const eb = new Evaluator(before);
  const ea = new Evaluator(after);
  const out: MatrixComparison = { compared: 0, changes: [], keptDeclared: [] };
  const endpoint = (workload: Workload): Endpoint => ({ kind: 'workload', workload });
  for (let i = 0; i < before.workloads.length; i++) {
    for (let j = 0; j < before.workloads.length; j++) {
      const src = before.workloads[i]!;
      const dst = before.workloads[j]!;
      if (src.namespace !== namespace && dst.namespace !== namespace) continue;
      out.compared++;
      const b = eb.ports(endpoint(src), endpoint(dst));
      const a = ea.ports(endpoint(after.workloads[i]!), endpoint(after.workloads[j]!));
      const changed = !(b.sure.equals(a.sure) && b.possible.equals(a.possible));
      const cut = b.sure.minus(a.sure);
      let declaredBy: string[] = [];
      if (!cut.isEmpty || (!changed && !b.sure.isEmpty)) declaredBy = declared(eb, endpoint(src), endpoint(dst), changed ? cut : b.sure);
      if (changed) {
        out.changes.push({ from: src.id, to: dst.id, before: describeCell(b), after: describeCell(a), cut: cut.isEmpty ? '' : cut.toString(), declaredBy });
      } else if (declaredBy.length) {
        out.keptDeclared.push({ from: src.id, to: dst.id, ports: describeCell(b), declaredBy });
      }
    }
  }
  return out;
}

/** The rules (on an isolated side) that allowed some of `ports` on this connection. */
function declared(evaluator: Evaluator, src: Endpoint, dst: Endpoint, ports: PortSet): string[] {
  const answer = evaluator.connection(src, dst);
  const rules = (side: DirectionAnswer) =>
    side.isolated === true ? side.matches.filter((m) => !m.ports.intersect(ports).isEmpty).map((m) => `${m.policy.namespace}/${m.policy.name} ${formatPath(m.rule.path)}`) : [];
  return [...new Set([...rules(answer.egress), ...rules(answer.ingress)])];
}
