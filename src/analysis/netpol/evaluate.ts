// The connection decision of spec/semantics.md §3.3: a connection from a source to a
// destination is allowed when the source's egress and the destination's ingress both allow it.
// Each side answers with the set of ports it allows, so one evaluation serves both a single
// port question (`reach`) and the all-ports summary (`matrix`).
//
// Some answers depend on what a manifest cannot say (a pod's IP, how the network plugin treats
// hostNetwork pods). Those are kept apart: `sure` ports are allowed under every reading,
// `possible` ports under at least one; the two differ only when the answer is uncertain.

import { cidrContainsCidr, cidrContainsIp, cidrsOverlap, type IpAddress } from './cidr.js';
import type { NetpolModel, PodInfo, Workload } from './model.js';
import type { Direction, IpBlockPeer, NetworkPolicy, Peer, Rule } from './policy.js';
import { PortSet, type Protocol } from './ports.js';
import type { Tri } from './selector.js';

/** One end of a connection. `node` is the host the other end runs on (kubelet probes). */
export type Endpoint =
  | { kind: 'workload'; workload: PodInfo }
  | { kind: 'ip'; ip: IpAddress }
  | { kind: 'node' };


export interface RuleMatch {
  policy: NetworkPolicy;
  rule: Rule;
  /** Ports the rule allows for this peer. */
  ports: PortSet;
  /** False when the peer match depends on an unknown (a pod IP, hostNetwork handling). */
  certain: boolean;
}

export interface DirectionAnswer {
  direction: Direction;
  /** Whether a policy isolates this side; 'maybe' for hostNetwork pods (implementation-defined). */
  isolated: boolean | 'maybe';
  /** Policies that select this side for the direction. */
  policies: readonly NetworkPolicy[];
  /** Rules that admit the other side (only filled when explaining). */
  matches: RuleMatch[];
  sure: PortSet;
  possible: PortSet;
  notes: string[];
}

/** Ports allowed under every reading of the input (`sure`) and under at least one (`possible`). */
export interface PortRange {
  sure: PortSet;
  possible: PortSet;
}

const NOTHING: PortRange = Object.freeze({ sure: PortSet.NONE, possible: PortSet.NONE });
const EVERYTHING: PortRange = Object.freeze({ sure: PortSet.ALL, possible: PortSet.ALL });

/** A bare Pod talking to itself (a controller's pods are replicas: the same workload is not the same pod). */
function isSelf(src: Endpoint, dst: Endpoint): boolean {
  return src.kind === 'workload' && dst.kind === 'workload' && src.workload === dst.workload && (src.workload as Partial<Workload>).kind === 'Pod';
}

export interface ConnectionAnswer extends PortRange {
  egress: DirectionAnswer;
  ingress: DirectionAnswer;
}

const OPEN_UNEXPLAINED: Record<Direction, DirectionAnswer> = {
  ingress: Object.freeze({ direction: 'ingress', isolated: false, policies: [], matches: [], sure: PortSet.ALL, possible: PortSet.ALL, notes: [] }),
  egress: Object.freeze({ direction: 'egress', isolated: false, policies: [], matches: [], sure: PortSet.ALL, possible: PortSet.ALL, notes: [] }),
};

/** Not isolated: every port allowed. The note is only written when explaining. */
function open(direction: Direction, explain: boolean, note: () => string): DirectionAnswer {
  return explain ? { ...OPEN_UNEXPLAINED[direction], notes: [note()] } : OPEN_UNEXPLAINED[direction];
}

const TRI: Tri[] = ['no', 'yes', 'maybe'];

export class Evaluator {
  private readonly rulePortCache = new WeakMap<Rule, PortSet | PortSet[]>();
  /** Per rule, whether its peers match each workload of the model (an index into TRI): the matrix asks this W² times. */
  private readonly ruleMatches = new WeakMap<Rule, Uint8Array>();

  constructor(readonly model: NetpolModel) {}

  /** Every port on which `src` may open a connection to `dst`, with both sides explained. */
  connection(src: Endpoint, dst: Endpoint): ConnectionAnswer {
    const egress = this.side('egress', src, dst, dst, true);
    const ingress = this.side('ingress', dst, src, dst, true);
    if (isSelf(src, dst)) {
      const note = 'a pod cannot block access to itself';
      return { egress: { ...egress, notes: [...egress.notes, note] }, ingress: { ...ingress, notes: [...ingress.notes, note] }, sure: PortSet.ALL, possible: PortSet.ALL };
    }
    if (src.kind === 'workload' && dst.kind === 'workload' && src.workload === dst.workload) {
      ingress.notes.push('the answer is for one replica reaching another: a pod can always reach itself');
    }
    return { egress, ingress, sure: egress.sure.intersect(ingress.sure), possible: egress.possible.intersect(ingress.possible) };
  }

  /** The ports of a connection without explanations: what the matrix and the checks ask, millions of times. */
  ports(src: Endpoint, dst: Endpoint): PortRange {
    if (isSelf(src, dst)) return EVERYTHING;
    const egress = this.side('egress', src, dst, dst, false);
    // Nothing leaves the source: the destination's side cannot change the answer (most cells of a locked-down matrix).
    if (egress.possible.isEmpty) return NOTHING;
    const ingress = this.side('ingress', dst, src, dst, false);
    return { sure: egress.sure.intersect(ingress.sure), possible: egress.possible.intersect(ingress.possible) };
  }

  /**
   * One side of a connection: what `self`'s policies of `direction` allow towards `other`.
   * `dst` is the destination of the connection, against which named ports resolve.
   */
  side(direction: Direction, self: Endpoint, other: Endpoint, dst: Endpoint, explain: boolean): DirectionAnswer {
    if (self.kind !== 'workload') return open(direction, explain, () => `${describeEndpoint(self)} is not a pod: no NetworkPolicy applies to its ${direction}`);
    if (direction === 'ingress' && other.kind === 'node') {
      return open(direction, explain, () => 'traffic from the node a pod runs on (kubelet probes) is always allowed');
    }
    const w = self.workload;
    const policies = this.model.policiesSelecting(w, direction);
    const notes: string[] = [];
    if (w.hostNetwork && explain) notes.push(`${w.id} uses hostNetwork: whether NetworkPolicies apply to it is implementation-defined`);
    if (policies.length === 0) {
      return explain ? { ...OPEN_UNEXPLAINED[direction], notes: [...notes, `no NetworkPolicy selects ${w.id} for ${direction}: all ${direction} allowed`] } : OPEN_UNEXPLAINED[direction];
    }
    let sure = PortSet.NONE;
    let possible = PortSet.NONE;
    const matches: RuleMatch[] = [];
    for (const policy of policies) {
      for (const rule of policy.rules[direction]) {
        const hit = this.ruleMatch(rule, policy.namespace, other);
        if (hit === 'no') continue;
        const ports = this.rulePorts(rule, dst);
        if (ports.isEmpty) continue;
        possible = possible.union(ports);
        if (hit === 'yes') sure = sure.union(ports);
        if (explain) matches.push({ policy, rule, ports, certain: hit === 'yes' });
      }
    }
    let isolated: boolean | 'maybe' = true;
    if (w.hostNetwork) {
      isolated = 'maybe';
      possible = PortSet.ALL;
    }
    if (direction === 'ingress' && other.kind === 'workload' && other.workload.hostNetwork) {
      // A hostNetwork source may be seen as node traffic, which the destination's own node always passes.
      possible = PortSet.ALL;
      if (explain) notes.push(`${other.workload.id} uses hostNetwork: its traffic may count as node traffic (implementation-defined)`);
    }
    return { direction, isolated, policies, matches, sure, possible, notes };
  }

  private ruleMatch(rule: Rule, policyNamespace: string, other: Endpoint): Tri {
    if (!rule.peers) return 'yes';
    if (other.kind !== 'workload' || !this.isModelWorkload(other.workload)) return this.peersMatch(rule.peers, other, policyNamespace);
    let matches = this.ruleMatches.get(rule);
    if (!matches) {
      const peers = rule.peers;
      matches = Uint8Array.from(this.model.workloads, (workload) => TRI.indexOf(this.peersMatch(peers, { kind: 'workload', workload }, policyNamespace)));
      this.ruleMatches.set(rule, matches);
    }
    return TRI[matches[(other.workload as Workload).index]!]!;
  }

  private isModelWorkload(pod: PodInfo): pod is Workload {
    const index = (pod as Partial<Workload>).index;
    return index !== undefined && this.model.workloads[index] === pod;
  }

  private peersMatch(peers: Peer[] | undefined, other: Endpoint, policyNamespace: string): Tri {
    if (!peers) return 'yes';
    let result: Tri = 'no';
    for (const peer of peers) {
      const m = peer.kind === 'ipBlock' ? this.ipBlockMatch(peer, other) : this.podPeerMatch(peer, other, policyNamespace);
      if (m === 'yes') return 'yes';
      if (m === 'maybe') result = 'maybe';
    }
    return result;
  }

  private podPeerMatch(peer: Extract<Peer, { kind: 'pods' }>, other: Endpoint, policyNamespace: string): Tri {
    if (other.kind !== 'workload') return 'no';
    const w = other.workload;
    const ns: Tri = peer.namespaces ? this.model.namespaceMatches(peer.namespaces, w.namespace) : w.namespace === policyNamespace ? 'yes' : 'no';
    if (ns === 'no' || !peer.pods.matches(w.labels)) return 'no';
    return w.hostNetwork ? 'maybe' : ns;
  }

  private ipBlockMatch(peer: IpBlockPeer, other: Endpoint): Tri {
    if (other.kind === 'node') return 'maybe';
    if (other.kind === 'ip') return ipInBlock(peer, other.ip) ? 'yes' : 'no';
    const w = other.workload;
    if (w.hostNetwork) return 'maybe';
    if (w.ips.length) return w.ips.some((ip) => ipInBlock(peer, ip)) ? 'yes' : 'no';
    return this.blockCoversPodNetwork(peer);
  }

  /** For a pod of unknown IP: does the block cover every assumed pod address, none, or some? */
  private blockCoversPodNetwork(peer: IpBlockPeer): Tri {
    const cidrs = this.model.podCidrs;
    const covers = cidrs.every((c) => cidrContainsCidr(peer.cidr, c) && !peer.except.some((e) => cidrsOverlap(e, c)));
    if (covers) return 'yes';
    const misses = cidrs.every((c) => !cidrsOverlap(peer.cidr, c) || peer.except.some((e) => cidrContainsCidr(e, c)));
    return misses ? 'no' : 'maybe';
  }

  /** The ports a rule allows towards `dst`; named ports make this depend on the destination, so those are kept per destination workload. */
  private rulePorts(rule: Rule, dst: Endpoint): PortSet {
    let cached = this.rulePortCache.get(rule);
    if (cached === undefined) {
      cached = rule.ports?.some((p) => typeof p.port === 'string') ? [] : portsOf(rule, dst);
      this.rulePortCache.set(rule, cached);
    }
    if (cached instanceof PortSet) return cached;
    if (dst.kind !== 'workload' || !this.isModelWorkload(dst.workload)) return portsOf(rule, dst);
    return (cached[dst.workload.index] ??= portsOf(rule, dst));
  }
}

function portsOf(rule: Rule, dst: Endpoint): PortSet {
  if (!rule.ports) return PortSet.ALL;
  let set = PortSet.NONE;
  for (const p of rule.ports) {
    if (p.port === undefined) set = set.union(PortSet.protocol(p.protocol));
    else if (typeof p.port === 'number') set = set.union(PortSet.range(p.protocol, p.port, p.endPort ?? p.port));
    else if (dst.kind === 'workload') {
      // A named port resolves against the destination pod: same name and protocol.
      for (const cp of dst.workload.ports) if (cp.name === p.port && cp.protocol === p.protocol) set = set.union(PortSet.range(p.protocol, cp.port));
    }
  }
  return set;
}

function ipInBlock(peer: IpBlockPeer, ip: IpAddress): boolean {
  return cidrContainsIp(peer.cidr, ip) && !peer.except.some((e) => cidrContainsIp(e, ip));
}

const shared = new WeakMap<NetpolModel, Evaluator>();

/** One evaluator per model, so the checks of a scan share its caches. */
export function evaluatorFor(model: NetpolModel): Evaluator {
  let evaluator = shared.get(model);
  if (!evaluator) shared.set(model, (evaluator = new Evaluator(model)));
  return evaluator;
}

export function describeEndpoint(e: Endpoint): string {
  switch (e.kind) {
    case 'workload':
      return e.workload.id;
    case 'ip':
      return e.ip.text;
    case 'node':
      return 'the node';
  }
}

/** Allowed, denied, or (when the answer depends on an unknown) uncertain, for one port. */
export function verdictFor(answer: { sure: PortSet; possible: PortSet }, protocol: Protocol, port: number): 'allowed' | 'denied' | 'uncertain' {
  if (answer.sure.has(protocol, port)) return 'allowed';
  return answer.possible.has(protocol, port) ? 'uncertain' : 'denied';
}
