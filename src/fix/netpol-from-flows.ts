// NetworkPolicies from observed flows: for the namespace being generated, an allow rule for each
// (workload, peer) pair that was seen talking, on exactly the ports seen, and nothing else.
// Workloads are selected by their stable labels (the controller's selector when the manifests
// have the workload, else the pod labels minus the per-pod and per-revision ones); peers in
// other namespaces by the immutable namespace name label; addresses outside the pod network by
// an ipBlock of the one address seen (/32 or /128). Each rule carries a comment naming the flows
// it covers. Then a dry run: the policies are added to the model and every observed flow of the
// namespace is asked of the engine, as `netpol reach` would.

import { parseIp } from '../analysis/netpol/cidr.js';
import { Evaluator, verdictFor, type Endpoint } from '../analysis/netpol/evaluate.js';
import { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL, NetpolModel, type PodInfo, type Workload } from '../analysis/netpol/model.js';
import { DNS_LABELS } from '../analysis/netpol/patterns.js';
import type { Protocol } from '../analysis/netpol/ports.js';
import { podLabels, stablePodLabels } from '../analysis/netpol/stable-labels.js';
import type { FlowEndpoint, FlowRecord } from '../sources/flows/model.js';
import { networkPolicy, stableLabels, type GeneratedPolicy } from './generate-netpol.js';

export const EVIDENCE_ANNOTATION = 'kubeharden.io/evidence';

/** One distinct observed flow: the records of the same endpoints, protocol and port, counted. */
export interface ObservedFlow {
  src: FlowEndpoint;
  dst: FlowEndpoint;
  protocol: Protocol;
  port: number;
  count: number;
  /** `file:line` of the first record. */
  first: string;
}

/**
 * Collapses records into distinct flows. Memory grows with the number of distinct (source,
 * destination, port) triples — pods of one workload share a key (their stable labels) — never
 * with the number of records.
 */
export class FlowAggregate {
  private readonly flows = new Map<string, ObservedFlow>();
  add(r: FlowRecord): void {
    const key = `${endpointKey(r.src)}\u0000${endpointKey(r.dst)}\u0000${r.protocol}\u0000${r.port}`;
    const seen = this.flows.get(key);
    if (seen) seen.count++;
    else this.flows.set(key, { src: r.src, dst: r.dst, protocol: r.protocol, port: r.port, count: 1, first: r.at });
  }
  get size(): number {
    return this.flows.size;
  }
  list(): ObservedFlow[] {
    return [...this.flows.values()];
  }
}

function endpointKey(e: FlowEndpoint): string {
  switch (e.kind) {
    case 'pod': {
      const stable = Object.entries(stablePodLabels(e.labels)).sort(([a], [b]) => (a < b ? -1 : 1));
      return `pod\u0001${e.namespace}\u0001${stable.length ? JSON.stringify(stable) : `name:${workloadName(e) ?? ''}`}`;
    }
    case 'ip':
      return `ip\u0001${e.ip ?? `?${e.label ?? ''}`}`;
    case 'node':
      return `node\u0001${e.ip ?? ''}`;
  }
}

/** `storefront-7d9f8b5c4-x2x9q` or `storefront-7d9f8b5c4-*` → `storefront`, the name people know. */
function workloadName(e: Extract<FlowEndpoint, { kind: 'pod' }>): string | undefined {
  if (e.workload) return e.workload.name;
  if (!e.name) return undefined;
  const name = e.name.replace(/-\*$/, '').replace(/-[a-z0-9]{5}$/, '');
  const parts = name.split('-');
  // A Deployment's pods: NAME-<replicaset hash>; a StatefulSet's: NAME-<ordinal>.
  if (parts.length > 1 && /^([a-z0-9]{8,10}|\d+)$/.test(parts[parts.length - 1]!)) parts.pop();
  return parts.join('-');
}

/** A flow endpoint as the generator and the dry run use it. */
interface Resolved {
  /** How messages and comments name it: a workload id, `ns/name`, or an address. */
  display: string;
  kind: 'pod' | 'ip' | 'node';
  namespace?: string;
  /** Pods: the labels the rules select it by. */
  selector?: Record<string, string>;
  /** Addresses: the ipBlock CIDR. */
  cidr?: string;
  /** The workload of the manifests it is, when found. */
  workload?: Workload;
  /** For the dry run: the pod as the engine sees it. */
  probe?: PodInfo;
  ip?: string;
  names?: string[];
}

interface RuleAcc {
  peer: Record<string, unknown>;
  ports: Map<string, { protocol: Protocol; port: number }>;
  flows: { flow: ObservedFlow; text: string }[];
  /** The workloads of the manifests seen at the other end. */
  peerIds: Set<string>;
}

interface PolicyAcc {
  self: Resolved;
  direction: 'ingress' | 'egress';
  rules: Map<string, RuleAcc>;
  selfIds: Set<string>;
}

/** What a policy written from flows was written for: to compare with what it selects and admits among the workloads of the input. */
export interface FlowPolicyEvidence {
  name: string;
  direction: 'ingress' | 'egress';
  /** Workloads of the input seen at this end; empty when the pods are not in the input. */
  selfIds: string[];
  /** Per rule, the workloads of the input seen at the other end. */
  rulePeerIds: string[][];
}

export interface FlowPolicies {
  evidence: FlowPolicyEvidence[];
  /** Remarks on the policies written (many single addresses). */
  notes: string[];
  policies: GeneratedPolicy[];
  /** Flows of the namespace that no rule could be written for, and why. */
  leftOut: { flow: ObservedFlow; reason: string }[];
  /** Flows of the namespace already allowed by the baseline (DNS) or always allowed (node traffic). */
  alreadyAllowed: { flow: ObservedFlow; reason: string }[];
  /** Flows with an end in the namespace, with their rules written. */
  covered: ObservedFlow[];
}

export interface FlowPolicyOptions {
  /** Whether the baseline isolates egress (false for kube-system, whose egress is left open). */
  egressIsolated: boolean;
  /** Where the flows came from, for the annotation (file names). */
  sources: string[];
}

export function policiesFromFlows(model: NetpolModel, namespace: string, flows: ObservedFlow[], options: FlowPolicyOptions): FlowPolicies {
  const result: FlowPolicies = { evidence: [], notes: [], policies: [], leftOut: [], alreadyAllowed: [], covered: [] };
  const resolver = new Resolver(model);
  const byPolicy = new Map<string, PolicyAcc>();

  for (const flow of flows) {
    const srcHere = flow.src.kind === 'pod' && flow.src.namespace === namespace;
    const dstHere = flow.dst.kind === 'pod' && flow.dst.namespace === namespace;
    if (!srcHere && !dstHere) continue;
    const src = resolver.resolve(flow.src);
    const dst = resolver.resolve(flow.dst);
    const text = `${src.display} → ${dst.display} ${flow.protocol} ${flow.port}`;
    const bad = [src, dst].find((r) => r.kind === 'pod' && r.selector === undefined);
    if (bad) {
      result.leftOut.push({ flow, reason: `${text}: ${bad.display} has no stable pod label to select it by` });
      continue;
    }
    // A rule on `self`'s side for the flow to or from `other`; false (and the reason noted) when none can be written.
    const ruleFor = (self: Resolved, direction: 'egress' | 'ingress', other: Resolved): boolean => {
      const peer = peerFor(other, namespace);
      if ('reason' in peer) {
        result.leftOut.push({ flow, reason: `${text}: ${peer.reason}` });
        return false;
      }
      addRule(byPolicy, self, direction, peer.peer, other, flow, text);
      return true;
    };
    let wrote = false;
    // Egress of the source, when it is here and egress is isolated by the baseline.
    if (srcHere) {
      if (!options.egressIsolated) result.alreadyAllowed.push({ flow, reason: `${text}: egress of ${namespace} is left open` });
      else if (isDns(dst, flow)) result.alreadyAllowed.push({ flow, reason: `${text}: allowed by allow-dns-egress` });
      else wrote = ruleFor(src, 'egress', dst) || wrote;
    }
    // Ingress of the destination, when it is here.
    if (dstHere) {
      if (src.kind === 'node') result.alreadyAllowed.push({ flow, reason: `${text}: traffic from a pod's own node is always allowed` });
      else if (namespace === 'kube-system' && isDns(dst, flow)) result.alreadyAllowed.push({ flow, reason: `${text}: allowed by allow-dns-ingress` });
      else wrote = ruleFor(dst, 'ingress', src) || wrote;
    }
    if (wrote) result.covered.push(flow);
  }

  const names = new Set<string>();
  for (const acc of byPolicy.values()) {
    const base = `allow-observed-${acc.direction}-${slug(acc.self.workload?.name ?? acc.self.display.split('/').pop()!)}`;
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base}-${n}`;
    names.add(name);
    const rules = mergeAddressRules([...acc.rules.values()]);
    const key = acc.direction === 'egress' ? 'to' : 'from';
    const spec = {
      podSelector: { matchLabels: acc.self.selector },
      policyTypes: [acc.direction === 'egress' ? 'Egress' : 'Ingress'],
      [acc.direction]: rules.map((r) => ({ [key]: r.peers, ports: sortedPorts(r.ports) })),
    };
    const addresses = rules.reduce((n, r) => n + r.peers.filter((p) => 'ipBlock' in p).length, 0);
    if (addresses > MANY_ADDRESSES) {
      result.notes.push(`${namespace}/${name} lists ${addresses} single addresses seen in the flows; if they belong to one network, a CIDR of it is shorter (and broader: check it)`);
    }
    const total = rules.reduce((n, r) => n + r.flows.reduce((m, f) => m + f.flow.count, 0), 0);
    result.evidence.push({ name, direction: acc.direction, selfIds: [...acc.selfIds], rulePeerIds: rules.map((r) => [...r.peerIds]) });
    result.policies.push({
      policy: networkPolicy(namespace, name, spec, { [EVIDENCE_ANNOTATION]: `observed flows${options.sources.length ? `: ${options.sources.join(', ')}` : ''}`.slice(0, 1000) }),
      proposal: false,
      reason: `Observed: ${acc.direction} of ${acc.self.display}, ${total} flow record(s) in ${rules.length} rule(s); allows only what was seen.`,
      ruleComments: rules.map((r, i) => ({ path: ['spec', acc.direction, i], comment: ruleComment(r.flows) })),
    });
  }
  return result;
}

const MANY_ADDRESSES = 32;

function sortedPorts(ports: Map<string, { protocol: Protocol; port: number }>): { protocol: Protocol; port: number }[] {
  return [...ports.values()].sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol < b.protocol ? -1 : 1));
}

/**
 * Rules towards single addresses on the same ports become one rule listing the addresses: the
 * same connections allowed (a peer list is an OR), one rule instead of one per client address.
 */
function mergeAddressRules(rules: RuleAcc[]): (Omit<RuleAcc, 'peer'> & { peers: Record<string, unknown>[] })[] {
  const out: (Omit<RuleAcc, 'peer'> & { peers: Record<string, unknown>[] })[] = [];
  const byPorts = new Map<string, (typeof out)[number]>();
  for (const r of rules) {
    if (!('ipBlock' in r.peer)) {
      out.push({ ...r, peers: [r.peer] });
      continue;
    }
    const key = JSON.stringify(sortedPorts(r.ports));
    const merged = byPorts.get(key);
    if (merged) {
      merged.peers.push(r.peer);
      merged.flows.push(...r.flows);
    } else {
      const first = { ...r, flows: [...r.flows], peers: [r.peer] };
      byPorts.set(key, first);
      out.push(first);
    }
  }
  return out;
}

function addRule(byPolicy: Map<string, PolicyAcc>, self: Resolved, direction: 'ingress' | 'egress', peer: Record<string, unknown>, other: Resolved, flow: ObservedFlow, text: string): void {
  const policyKey = `${direction}\u0000${JSON.stringify(self.selector)}`;
  let acc = byPolicy.get(policyKey);
  if (!acc) byPolicy.set(policyKey, (acc = { self, direction, rules: new Map(), selfIds: new Set() }));
  if (self.workload) acc.selfIds.add(self.workload.id);
  const peerKey = JSON.stringify(peer);
  let rule = acc.rules.get(peerKey);
  if (!rule) acc.rules.set(peerKey, (rule = { peer, ports: new Map(), flows: [], peerIds: new Set() }));
  rule.ports.set(`${flow.protocol}/${flow.port}`, { protocol: flow.protocol, port: flow.port });
  rule.flows.push({ flow, text });
  if (other.workload) rule.peerIds.add(other.workload.id);
}

const MAX_COMMENT_FLOWS = 10;

function ruleComment(flows: { flow: ObservedFlow; text: string }[]): string {
  const lines = flows.slice(0, MAX_COMMENT_FLOWS).map(({ flow, text }) => ` ${flow.count}× ${text} (first: ${flow.first})`);
  if (flows.length > MAX_COMMENT_FLOWS) lines.push(` … and ${flows.length - MAX_COMMENT_FLOWS} more distinct flow(s)`);
  const names = [...new Set(flows.flatMap(({ flow }) => (flow.dst.kind === 'ip' ? flow.dst.names : [])))];
  if (names.length) lines.push(` seen as: ${names.slice(0, 5).join(', ')} — the address behind a name can change; the ipBlock does not follow it`);
  return ` covers:\n${lines.join('\n')}`;
}

function isDns(dst: Resolved, flow: ObservedFlow): boolean {
  return dst.kind === 'pod' && dst.namespace === 'kube-system' && flow.port === 53 && (flow.protocol === 'UDP' || flow.protocol === 'TCP') &&
    Object.entries(DNS_LABELS).every(([k, v]) => dst.probe?.labels[k] === v);
}

function peerFor(r: Resolved, namespace: string): { peer: Record<string, unknown> } | { reason: string } {
  if (r.kind === 'pod') {
    const podSelector = { matchLabels: r.selector };
    return { peer: r.namespace === namespace ? { podSelector } : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: r.namespace } }, podSelector } };
  }
  if (!r.cidr) return { reason: `${r.display} has no address in the log (aggregated away?), so no ipBlock can be written for it` };
  return { peer: { ipBlock: { cidr: r.cidr } } };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 200) || 'pods';
}

/** Maps flow endpoints to the workloads of the manifests when they are there, once per distinct endpoint. */
class Resolver {
  private readonly cache = new Map<string, Resolved>();
  constructor(private readonly model: NetpolModel) {}

  resolve(e: FlowEndpoint): Resolved {
    const key = endpointKey(e);
    let r = this.cache.get(key);
    if (!r) this.cache.set(key, (r = this.compute(e)));
    return r;
  }

  private compute(e: FlowEndpoint): Resolved {
    if (e.kind === 'node') return { display: `the node${e.ip ? ` ${e.ip}` : ''}`, kind: 'node', ...(e.ip ? { ip: e.ip, cidr: hostCidr(e.ip) } : {}) };
    if (e.kind === 'ip') {
      const cidr = e.ip ? hostCidr(e.ip) : undefined;
      const named = e.names.length ? ` (${e.names.slice(0, 3).join(', ')})` : e.label ? ` (${e.label})` : '';
      return { display: `${e.ip ?? 'an address'}${named}`, kind: 'ip', ...(e.ip ? { ip: e.ip } : {}), names: e.names, ...(cidr ? { cidr } : {}) };
    }
    const labels = podLabels(e.labels);
    const w = this.findWorkload(e, labels);
    if (w) {
      const selector = stableLabels(w);
      // The controller's selector is a subset of the template labels; a pod outside it was not made by this workload.
      // A log without labels (Hubble's field mask can drop them) was matched by name: the workload's selector stands.
      const fits = Object.keys(labels).length === 0 || Object.entries(selector).every(([k, v]) => labels[k] === v);
      return { display: w.id, kind: 'pod', namespace: e.namespace, workload: w, probe: w, ...(fits ? { selector } : {}) };
    }
    const stable = stablePodLabels(labels);
    const display = `${e.namespace}/${workloadName(e) ?? Object.entries(stable).map(([k, v]) => `${k}=${v}`).join(',')}`;
    return {
      display,
      kind: 'pod',
      namespace: e.namespace,
      ...(Object.keys(stable).length ? { selector: stable } : {}),
      probe: { id: display, namespace: e.namespace, labels, ports: [], ips: [], hostNetwork: false },
    };
  }

  /** The workload whose pod template labels the pod carries; the log's workload or pod name breaks ties. */
  private findWorkload(e: Extract<FlowEndpoint, { kind: 'pod' }>, labels: Record<string, string>): Workload | undefined {
    const name = workloadName(e);
    const candidates = this.model.workloads.filter(
      (w) => (w.namespace ?? DEFAULT_NAMESPACE) === e.namespace && !w.hostNetwork && Object.keys(w.labels).length > 0 && Object.entries(w.labels).every(([k, v]) => labels[k] === v),
    );
    // Labels masked out of the log: the pod or controller name is all there is to go by.
    if (Object.keys(labels).length === 0) return name === undefined ? undefined : this.model.workloads.find((w) => w.namespace === e.namespace && !w.hostNetwork && w.name === name);
    if (candidates.length <= 1) return candidates[0];
    return candidates.find((w) => w.name === name) ?? candidates.sort((a, b) => Object.keys(b.labels).length - Object.keys(a.labels).length)[0];
  }

  /** The endpoint the engine evaluates for a resolved flow end, in a model built from the same workloads. */
  endpointIn(model: NetpolModel, r: Resolved, role: 'src' | 'dst'): Endpoint | undefined {
    if (r.kind === 'pod') return { kind: 'workload', workload: r.workload ? model.workloads[r.workload.index]! : r.probe! };
    // The node as a source is the pod's own node (kubelet probes, hostNetwork pods): always let in. As a destination it is an address.
    if (r.kind === 'node' && (role === 'src' || !r.ip)) return { kind: 'node' };
    const ip = r.ip ? parseIp(r.ip) : undefined;
    return ip ? { kind: 'ip', ip } : undefined;
  }
}

function hostCidr(text: string): string | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  return `${ip.text}/${ip.family === 4 ? 32 : 128}`;
}

export interface DryRunFlow {
  /** `from → to PROTOCOL PORT`, the ends as workload ids (`netpol reach --from/--to`) or addresses. */
  flow: string;
  from: string;
  to: string;
  count: number;
  first: string;
  verdict: 'allowed' | 'denied' | 'uncertain';
  /** For a denied flow: which side denies it and whether that side is in the generated namespace. */
  deniedBy?: { side: 'egress' | 'ingress'; endpoint: string; here: boolean; policies: string[] };
  /** Why no rule was written for it, when none could be. */
  leftOut?: string;
}

/**
 * The dry run: `after` is the model with the generated policies added. Every observed flow with an
 * end in the namespace is asked as `netpol reach` asks it (both sides, exact ports).
 */
export function dryRunFlows(before: NetpolModel, after: NetpolModel, namespace: string, flows: ObservedFlow[], leftOut: FlowPolicies['leftOut'] = []): DryRunFlow[] {
  const reasons = new Map(leftOut.map((l) => [l.flow, l.reason]));
  const resolver = new Resolver(before);
  const evaluator = new Evaluator(after);
  const out: DryRunFlow[] = [];
  for (const flow of flows) {
    const here = (e: FlowEndpoint) => e.kind === 'pod' && e.namespace === namespace;
    if (!here(flow.src) && !here(flow.dst)) continue;
    const src = resolver.resolve(flow.src);
    const dst = resolver.resolve(flow.dst);
    const s = resolver.endpointIn(after, src, 'src');
    const d = resolver.endpointIn(after, dst, 'dst');
    if (!s || !d) continue;
    const answer = evaluator.connection(s, d);
    const verdict = verdictFor(answer, flow.protocol, flow.port);
    const reason = reasons.get(flow);
    const item: DryRunFlow = { flow: `${src.display} → ${dst.display} ${flow.protocol} ${flow.port}`, from: src.display, to: dst.display, count: flow.count, first: flow.first, verdict, ...(reason ? { leftOut: reason } : {}) };
    if (verdict === 'denied') {
      const side = verdictFor(answer.egress, flow.protocol, flow.port) === 'denied' ? answer.egress : answer.ingress;
      const end = side === answer.egress ? src : dst;
      item.deniedBy = { side: side.direction, endpoint: end.display, here: end.namespace === namespace, policies: side.policies.map((p) => `${p.namespace}/${p.name}`) };
    }
    out.push(item);
  }
  return out;
}
