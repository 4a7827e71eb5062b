// Cilium Hubble flows as `hubble observe -o jsonpb` writes them (one GetFlowsResponse per line:
// `{"flow": {...}, "node_name": ..., "time": ...}`) and as `-o json` writes them (the Flow object
// itself). Field names are the protobuf names of cilium/cilium api/v1/flow/flow.proto
// (`traffic_direction`, `pod_name`, `destination_port`, `is_reply`); the lowerCamelCase JSON names
// (`podName`, `isReply`, …) that other protojson writers use are read too.

import { PROTOCOLS, type Protocol } from '../../analysis/netpol/ports.js';
import type { FlowEndpoint, FlowRecord, SkipReason } from './model.js';

type Json = Record<string, unknown>;

/** Verdicts of traffic that went through: FORWARDED, and the policy-audit and proxy cases. DROPPED/ERROR did not. */
const PASSED = new Set(['FORWARDED', 'AUDIT', 'REDIRECTED', 'TRACED', 'TRANSLATED']);

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function field(o: Json | undefined, snake: string, camel?: string): unknown {
  if (!o) return undefined;
  return o[snake] ?? (camel ? o[camel] : undefined);
}

/** Whether a JSON line looks like Hubble output (a GetFlowsResponse or a Flow). */
export function isHubble(line: Json): boolean {
  return obj(line.flow) !== undefined || (obj(line.source) !== undefined && obj(line.destination) !== undefined) || 'node_status' in line || 'lost_events' in line;
}

export function readHubble(line: Json, at: string): Omit<FlowRecord, 'at'> & { at: string } | { skip: SkipReason } | { error: string } {
  const flow = obj(line.flow) ?? (obj(line.source) || obj(line.destination) ? line : undefined);
  if (!flow) return { skip: 'not-a-flow' }; // node_status, lost_events: GetFlowsResponse carries those too
  const verdict = flow.verdict;
  if (typeof verdict !== 'string') return { error: 'flow has no verdict' };
  if (!PASSED.has(verdict)) return { skip: 'denied' };
  const l4 = obj(flow.l4);
  let protocol: Protocol | undefined;
  let l4Fields: Json | undefined;
  for (const p of PROTOCOLS) {
    const v = obj(l4?.[p]);
    if (v) {
      protocol = p;
      l4Fields = v;
    }
  }
  if (!protocol || !l4Fields) return { skip: 'not-l4' }; // ICMP: NetworkPolicy cannot express it
  const port = field(l4Fields, 'destination_port', 'destinationPort');
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return { error: `l4.${protocol}.destination_port is not a port number` };
  const isReply = field(flow, 'is_reply', 'isReply') ?? flow.reply;
  if (isReply === true) return { skip: 'reply' };
  if (isReply === undefined && protocol === 'TCP') {
    // Hubble leaves is_reply unset when it does not know; only a bare SYN says who opened the connection.
    const flags = obj(l4Fields.flags);
    if (!(flags?.SYN === true && flags.ACK !== true)) return { skip: 'direction-unknown' };
  }
  const ip = obj(flow.IP) ?? obj(flow.ip);
  const src = endpoint(obj(flow.source), stringOr(ip?.source), []);
  const dst = endpoint(obj(flow.destination), stringOr(ip?.destination), stringList(field(flow, 'destination_names', 'destinationNames')));
  if ('error' in src) return { error: `source: ${src.error}` };
  if ('error' in dst) return { error: `destination: ${dst.error}` };
  if (!src.endpoint || !dst.endpoint) return { skip: 'no-address' };
  return { format: 'hubble', src: src.endpoint, dst: dst.endpoint, protocol, port, at };
}

function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function endpoint(e: Json | undefined, ip: string | undefined, names: string[]): { endpoint?: FlowEndpoint } | { error: string } {
  if (!e) return { error: 'missing' };
  const rawLabels = e.labels ?? [];
  if (!Array.isArray(rawLabels)) return { error: 'labels is not a list' };
  const labels: Record<string, string> = {};
  const reserved: string[] = [];
  for (const l of rawLabels) {
    if (typeof l !== 'string') return { error: 'labels must be strings' };
    const colon = l.indexOf(':');
    const source = colon === -1 ? '' : l.slice(0, colon);
    const rest = colon === -1 ? l : l.slice(colon + 1);
    if (source === 'reserved') reserved.push(rest);
    if (source !== 'k8s') continue; // container:, cidr:, fqdn: labels are not pod labels
    const eq = rest.indexOf('=');
    labels[eq === -1 ? rest : rest.slice(0, eq)] = eq === -1 ? '' : rest.slice(eq + 1);
  }
  const namespace = stringOr(e.namespace);
  if (namespace) {
    const workloads = Array.isArray(e.workloads) ? e.workloads.map(obj).filter((w): w is Json => !!w && typeof w.name === 'string') : [];
    const podName = stringOr(field(e, 'pod_name', 'podName'));
    return {
      endpoint: {
        kind: 'pod',
        namespace,
        labels,
        ...(podName ? { name: podName } : {}),
        ...(workloads[0] ? { workload: { name: workloads[0].name as string, ...(typeof workloads[0].kind === 'string' ? { kind: workloads[0].kind } : {}) } } : {}),
        ...(ip ? { ip } : {}),
      },
    };
  }
  // The local node (reserved:host) as a source is node traffic; remote nodes, the API server and the world are addresses.
  if (reserved.includes('host') && !reserved.includes('remote-node')) return { endpoint: { kind: 'node', ...(ip ? { ip } : {}) } };
  if (!ip) return {};
  return { endpoint: { kind: 'ip', ip, names, ...(reserved[0] ? { label: reserved[0] } : {}) } };
}
