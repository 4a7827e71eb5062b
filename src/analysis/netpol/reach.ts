// The answers the `netpol` commands print: one connection explained (`reach`), and the
// workload-to-workload reachability of a whole inventory (`matrix`).

import { formatPath } from '../../inventory/model.js';
import { parseIp } from './cidr.js';
import { Evaluator, describeEndpoint, verdictFor, type DirectionAnswer, type Endpoint, type PortRange } from './evaluate.js';
import { workloadRef, type NetpolModel, type Workload } from './model.js';
import type { NetworkPolicy } from './policy.js';
import type { Protocol } from './ports.js';

export type Verdict = 'allowed' | 'denied' | 'uncertain';

export interface DirectionReport {
  /** Whether this side lets the connection through on the asked port (true when uncertain). */
  allowed: boolean;
  verdict: Verdict;
  endpoint: string;
  isolated: boolean | 'maybe';
  /** Policies that select this side for the direction (`namespace/name`). */
  policies: string[];
  /** Rules that admit the other side on the asked port. */
  allowedBy: { policy: string; rule: string; ports: string; certain: boolean }[];
  notes: string[];
}

export interface ReachReport {
  from: string;
  to: string;
  protocol: Protocol;
  port: number;
  /** True when the connection is allowed — or may be, when `verdict` is `uncertain`. */
  allowed: boolean;
  verdict: Verdict;
  /** Every port the connection is allowed on (`sure`), and may be allowed on (`possible`). */
  ports: { sure: string; possible: string };
  egress: DirectionReport;
  ingress: DirectionReport;
}

function policyName(p: NetworkPolicy): string {
  return `${p.namespace}/${p.name}`;
}

/** Resolves `namespace/name`, `namespace/Kind/name` or an IP address to an endpoint, or says why it cannot. */
export function resolveEndpoint(model: NetpolModel, ref: string): { endpoint: Endpoint } | { error: string } {
  const ip = parseIp(ref);
  if (ip) {
    const w = model.workloadWithIp(ip);
    return { endpoint: w ? { kind: 'workload', workload: w } : { kind: 'ip', ip } };
  }
  if (ref.split('/').length < 2) return { error: `"${ref}" is neither NAMESPACE/NAME, NAMESPACE/KIND/NAME (with an optional #PART) nor an IP address` };
  const found = model.findWorkloads(ref);
  if (found.length === 1) return { endpoint: { kind: 'workload', workload: found[0]! } };
  if (found.length > 1) return { error: `"${ref}" is ambiguous: ${found.map((w) => workloadRef(w, true)).join(', ')}` };
  const ns = ref.split('/')[0]!;
  const inNs = model.workloads.filter((w) => w.namespace === ns).map((w) => w.id);
  return {
    error: inNs.length
      ? `no workload "${ref}"; namespace ${ns} has: ${inNs.slice(0, 20).join(', ')}${inNs.length > 20 ? ', …' : ''}`
      : `no workload "${ref}": the input has no workload in namespace ${ns}`,
  };
}

export function explainReach(model: NetpolModel, src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): ReachReport {
  const answer = new Evaluator(model).connection(src, dst);
  const verdict = verdictFor(answer, protocol, port);
  return {
    from: describeEndpoint(src),
    to: describeEndpoint(dst),
    protocol,
    port,
    allowed: verdict !== 'denied',
    verdict,
    ports: { sure: answer.sure.toString(), possible: answer.possible.toString() },
    egress: directionReport(answer.egress, src, protocol, port),
    ingress: directionReport(answer.ingress, dst, protocol, port),
  };
}

function directionReport(a: DirectionAnswer, self: Endpoint, protocol: Protocol, port: number): DirectionReport {
  const verdict = verdictFor(a, protocol, port);
  return {
    allowed: verdict !== 'denied',
    verdict,
    endpoint: describeEndpoint(self),
    isolated: a.isolated,
    policies: a.policies.map(policyName),
    allowedBy: a.matches
      .filter((m) => m.ports.has(protocol, port))
      .map((m) => ({ policy: policyName(m.policy), rule: formatPath(m.rule.path), ports: m.ports.toString(), certain: m.certain })),
    notes: a.notes,
  };
}

export type MatrixCell = PortRange;

/** Reachability between every pair of the workloads (default: all of the model): rows are sources, columns destinations. */
export function reachabilityMatrix(model: NetpolModel, workloads: readonly Workload[] = model.workloads): MatrixCell[][] {
  const evaluator = new Evaluator(model);
  const endpoints: Endpoint[] = workloads.map((workload) => ({ kind: 'workload', workload }));
  return endpoints.map((src) =>
    endpoints.map((dst) => evaluator.ports(src, dst)),
  );
}

/** A cell in words: `all`, `none`, `TCP 80`, or `TCP 80 (maybe: all)` when uncertain. */
export function describeCell(cell: MatrixCell): string {
  const sure = cell.sure.toString();
  return cell.sure.equals(cell.possible) ? sure : `${sure} (maybe: ${cell.possible.toString()})`;
}
