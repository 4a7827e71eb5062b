// Calico flow logs: the JSON lines Felix writes for Calico Enterprise / Calico Cloud
// (/var/log/calico/flowlogs/flows.log, shipped by fluentd to Elasticsearch), with the fields of
// projectcalico/calico felix/collector/flowlog JSONOutput: source_/dest_ namespace, name,
// name_aggr, type (wep, hep, ns, net), labels ({"labels": ["k=v", …]}), ip, port; proto, action
// (allow/deny) and reporter (src/dst). "-" stands for "none" or "aggregated away".

import type { Protocol } from '../../analysis/netpol/ports.js';
import type { FlowEndpoint, FlowRecord, SkipReason } from './model.js';

type Json = Record<string, unknown>;

const PROTOS: Record<string, Protocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP', '6': 'TCP', '17': 'UDP', '132': 'SCTP' };

export function isCalico(line: Json): boolean {
  return 'reporter' in line && ('source_type' in line || 'dest_type' in line) && ('dest_port' in line || 'proto' in line);
}

export function readCalico(line: Json, at: string): FlowRecord | { skip: SkipReason } | { error: string } {
  if (line.action !== 'allow') return line.action === 'deny' ? { skip: 'denied' } : { error: `action ${JSON.stringify(line.action)} is neither allow nor deny` };
  const protocol = PROTOS[String(line.proto).toLowerCase()];
  if (!protocol) return { skip: 'not-l4' };
  const port = line.dest_port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return { error: 'dest_port is not a port number' };
  const src = endpoint(line, 'source');
  const dst = endpoint(line, 'dest');
  if ('error' in src) return { error: src.error };
  if ('error' in dst) return { error: dst.error };
  if (!src.endpoint || !dst.endpoint) return { skip: 'no-address' };
  return { format: 'calico', src: src.endpoint, dst: dst.endpoint, protocol, port, at };
}

function present(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && v !== '-' ? v : undefined;
}

function endpoint(line: Json, side: 'source' | 'dest'): { endpoint?: FlowEndpoint } | { error: string } {
  const type = line[`${side}_type`];
  const ip = present(line[`${side}_ip`]);
  const names = Array.isArray(line.dest_domains) && side === 'dest' ? line.dest_domains.filter((d): d is string => typeof d === 'string') : [];
  if (type === 'wep') {
    const namespace = present(line[`${side}_namespace`]);
    if (!namespace) return { error: `${side}_namespace is missing for a workload endpoint` };
    const raw = line[`${side}_labels`];
    const list = raw && typeof raw === 'object' && Array.isArray((raw as Json).labels) ? ((raw as Json).labels as unknown[]) : [];
    const labels: Record<string, string> = {};
    for (const l of list) {
      if (typeof l !== 'string') return { error: `${side}_labels must be strings` };
      const eq = l.indexOf('=');
      labels[eq === -1 ? l : l.slice(0, eq)] = eq === -1 ? '' : l.slice(eq + 1);
    }
    const name = present(line[`${side}_name`]) ?? present(line[`${side}_name_aggr`]);
    return { endpoint: { kind: 'pod', namespace, labels, ...(name ? { name } : {}), ...(ip ? { ip } : {}) } };
  }
  if (type === 'hep' || type === 'ns' || type === 'net') {
    // A host endpoint, a NetworkSet or a plain network: only its address can go into a NetworkPolicy.
    // Without it (aggregated away) the flow is still kept, so the generator can say it cannot write a rule for it.
    const label = present(line[`${side}_name_aggr`]);
    return { endpoint: { kind: 'ip', ...(ip ? { ip } : {}), names, ...(label ? { label } : {}) } };
  }
  return { error: `${side}_type ${JSON.stringify(type)} is not wep, hep, ns or net` };
}
