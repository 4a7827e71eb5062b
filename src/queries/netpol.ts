// NetworkPolicy questions over a model of the input: may one connection be made, and which
// workloads can reach which. The answers are plain data; src/report/query-text/netpol.ts
// renders them, the CLI prints them (`kubeharden netpol …`).

import { DEFAULT_NAMESPACE, type NetpolModel } from '../analysis/netpol/model.js';
import type { Protocol } from '../analysis/netpol/ports.js';
import { describeCell, explainReach, reachabilityMatrix, resolveEndpoint, type ReachReport } from '../analysis/netpol/reach.js';
import { formatPath } from '../inventory/model.js';

export type IgnoredPolicies = ReturnType<typeof ignoredPolicies>;

/** Policies the answers leave out: other APIs' policy objects and NetworkPolicies that are not valid. */
export function ignoredPolicies(model: NetpolModel) {
  const otherApis = model.otherPolicies.map((o) => ({
    policy: `${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
    file: o.source.file,
    problems: [{ path: 'apiVersion', message: `${o.apiVersion} ${o.kind} is not evaluated: only networking.k8s.io/v1 NetworkPolicies are` }],
  }));
  return [...otherApis, ...model.invalidPolicies.map((b) => ({
    policy: `${b.object.namespace ?? DEFAULT_NAMESPACE}/${b.object.name}`,
    file: b.object.source.file,
    problems: b.problems.map((p) => ({ path: formatPath(p.path), message: p.message })),
  }))];
}

export type ReachAnswer = ReachReport & { ignoredPolicies: IgnoredPolicies };

/** Whether a connection is allowed and which policies decide it; `error` names an endpoint that is not in the model. */
export function reachAnswer(model: NetpolModel, from: string, to: string, protocol: Protocol, port: number): ReachAnswer | { error: string; endpoint: 'from' | 'to' } {
  const src = resolveEndpoint(model, from);
  if ('error' in src) return { error: src.error, endpoint: 'from' };
  const dst = resolveEndpoint(model, to);
  if ('error' in dst) return { error: dst.error, endpoint: 'to' };
  return { ...explainReach(model, src.endpoint, dst.endpoint, protocol, port), ignoredPolicies: ignoredPolicies(model) };
}

export interface MatrixAnswer {
  /** Workload ids, rows (sources) and columns (destinations) alike. */
  ids: string[];
  /** `cells[i][j]`: the ports workload i can open to workload j, in words. */
  cells: string[][];
  ignoredPolicies: IgnoredPolicies;
}

/** Which workloads (of the given namespaces, or all) can reach which, on which ports. */
export function matrixAnswer(model: NetpolModel, namespaces?: string[]): MatrixAnswer {
  const shown = namespaces ? model.workloads.filter((w) => namespaces.includes(w.namespace)) : model.workloads;
  const matrix = reachabilityMatrix(model, shown);
  return { ids: shown.map((w) => w.id), cells: matrix.map((row) => row.map(describeCell)), ignoredPolicies: ignoredPolicies(model) };
}
