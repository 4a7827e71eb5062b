// A generated cluster and its traffic, for the tests of NetworkPolicies written from flows: the
// workloads as manifests, the flows they were seen making, flows they were not seen making, and
// the observed ones written as Hubble flows and as Calico flow log entries (replies, per-pod names
// and revision labels included, as the plugins write them).

import type { Protocol } from '../../src/analysis/netpol/ports.js';

export interface App {
  ns: string;
  name: string;
  ports: { port: number; protocol?: Protocol; name?: string }[];
  labelKey?: string;
}

export const APPS: App[] = [
  { ns: 'shop', name: 'frontend', ports: [{ port: 8080 }] },
  { ns: 'shop', name: 'api', ports: [{ port: 8080, name: 'http' }, { port: 9090, name: 'metrics' }] },
  { ns: 'shop', name: 'worker', ports: [] },
  { ns: 'data', name: 'db', ports: [{ port: 5432 }] },
  { ns: 'data', name: 'cache', ports: [{ port: 6379 }] },
  { ns: 'monitoring', name: 'prometheus', ports: [] },
  { ns: 'kube-system', name: 'coredns', labelKey: 'k8s-app', ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] },
];
export const EXTERNAL = '203.0.113.10';

export function clusterYaml(): string {
  const docs: string[] = [];
  for (const ns of new Set(APPS.map((a) => a.ns))) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}`);
  for (const a of APPS) {
    const labels = a.labelKey ? `{${a.labelKey}: ${a.name === 'coredns' ? 'kube-dns' : a.name}}` : `{app: ${a.name}}`;
    const ports = a.ports.map((p) => `{containerPort: ${p.port}, protocol: ${p.protocol ?? 'TCP'}${p.name ? `, name: ${p.name}` : ''}}`).join(', ');
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: ${a.name}, namespace: ${a.ns}}
spec:
  replicas: 2
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels.replace('}', ', version: "1.4"}')}}
    spec: {containers: [{name: main, image: registry.example/${a.name}:1.4, ports: [${ports}]}]}`);
  }
  return docs.join('\n---\n') + '\n';
}

export type Flow = [from: string, to: string, protocol: Protocol, port: number];

export const OBSERVED: Flow[] = [
  ['shop/frontend', 'shop/api', 'TCP', 8080],
  ['shop/api', 'data/db', 'TCP', 5432],
  ['shop/api', 'data/cache', 'TCP', 6379],
  ['shop/worker', 'data/cache', 'TCP', 6379],
  ['monitoring/prometheus', 'shop/api', 'TCP', 9090],
  ['shop/api', EXTERNAL, 'TCP', 443],
  ...['shop/frontend', 'shop/api', 'shop/worker', 'data/db', 'data/cache'].map((s): Flow => [s, 'kube-system/coredns', 'UDP', 53]),
];

export const NOT_OBSERVED: Flow[] = [
  ['shop/frontend', 'data/db', 'TCP', 5432],
  ['shop/worker', 'data/db', 'TCP', 5432],
  ['shop/frontend', 'shop/api', 'TCP', 9090],
  ['monitoring/prometheus', 'shop/api', 'TCP', 8080],
  ['shop/api', 'data/cache', 'TCP', 5432],
  ['shop/frontend', EXTERNAL, 'TCP', 443],
  ['shop/api', '203.0.113.11', 'TCP', 443],
  ['shop/api', EXTERNAL, 'TCP', 80],
  // Replies were in the logs: they must not have become rules the other way round.
  ['data/db', 'shop/api', 'TCP', 8080],
  ['shop/api', 'shop/frontend', 'TCP', 8080],
  ['monitoring/prometheus', 'data/db', 'TCP', 5432],
  ['shop/worker', 'shop/frontend', 'TCP', 8080],
  ['data/cache', 'data/db', 'TCP', 5432],
  ['shop/frontend', 'kube-system/coredns', 'TCP', 80],
];

export const app = (ref: string) => APPS.find((a) => `${a.ns}/${a.name}` === ref);
export const ipOf = (ref: string, replica: number) => (app(ref) ? `10.244.${APPS.indexOf(app(ref)!)}.${10 + replica}` : ref);
export const podLabels = (a: App) => (a.labelKey ? { [a.labelKey]: a.name === 'coredns' ? 'kube-dns' : a.name } : { app: a.name });

export function hubbleEndpoint(ref: string, replica: number): Record<string, unknown> {
  const a = app(ref);
  if (!a) return { identity: 2, labels: ['reserved:world'] };
  const labels = { ...podLabels(a), version: '1.4', 'pod-template-hash': `5f7c9d${replica}b4c` };
  return {
    ID: 100 + APPS.indexOf(a),
    identity: 20000 + APPS.indexOf(a),
    namespace: a.ns,
    labels: [...Object.entries(labels).map(([k, v]) => `k8s:${k}=${v}`), `k8s:io.kubernetes.pod.namespace=${a.ns}`, 'k8s:io.cilium.k8s.policy.cluster=default', `k8s:io.cilium.k8s.policy.serviceaccount=${a.name}`],
    pod_name: `${a.name}-5f7c9d${replica}b4c-q${replica}x7z`,
    workloads: [{ name: a.name, kind: 'Deployment' }],
  };
}

/** Each observed flow as Hubble shows it: from two replicas, each with its reply. */
export function hubbleLines(): string[] {
  const lines: string[] = [];
  let t = 0;
  for (const [from, to, protocol, port] of OBSERVED) {
    for (const replica of [0, 1]) {
      const sport = 40000 + lines.length;
      const ts = new Date(Date.UTC(2026, 11, 5, 9, 0, t++)).toISOString();
      const l4 = (sp: number, dp: number, reply: boolean) => ({ [protocol]: { source_port: sp, destination_port: dp, ...(protocol === 'TCP' ? { flags: reply ? { SYN: true, ACK: true } : { SYN: true } } : {}) } });
      const flow = (src: string, dst: string, sp: number, dp: number, reply: boolean) => ({
        flow: {
          time: ts, verdict: 'FORWARDED',
          IP: { source: ipOf(src, replica), destination: ipOf(dst, replica), ipVersion: 'IPv4' },
          l4: l4(sp, dp, reply),
          source: hubbleEndpoint(src, replica), destination: hubbleEndpoint(dst, replica),
          Type: 'L3_L4', node_name: 'kind-worker', event_type: { type: 4 },
          traffic_direction: reply ? 'INGRESS' : 'EGRESS', is_reply: reply,
          ...(dst === EXTERNAL ? { destination_names: ['payments.example.net'] } : {}),
        },
        node_name: 'kind-worker', time: ts,
      });
      lines.push(JSON.stringify(flow(from, to, sport, port, false)), JSON.stringify(flow(to, from, port, sport, true)));
    }
  }
  return lines;
}

/** Each observed flow as Calico logs it: reported by the source and (pod destinations) by the destination, pod names aggregated. */
export function calicoLines(): string[] {
  const side = (ref: string, prefix: 'source' | 'dest') => {
    const a = app(ref);
    if (!a) return { [`${prefix}_ip`]: ref, [`${prefix}_name`]: '-', [`${prefix}_name_aggr`]: 'pub', [`${prefix}_namespace`]: '-', [`${prefix}_type`]: 'net', [`${prefix}_labels`]: null };
    const labels = { ...podLabels(a), version: '1.4', 'pod-template-hash': '5f7c9d0b4c', 'projectcalico.org/namespace': a.ns, 'projectcalico.org/orchestrator': 'k8s' };
    return {
      [`${prefix}_ip`]: null, [`${prefix}_name`]: '-', [`${prefix}_name_aggr`]: `${a.name}-5f7c9d0b4c-*`, [`${prefix}_namespace`]: a.ns, [`${prefix}_type`]: 'wep',
      [`${prefix}_labels`]: { labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`) },
    };
  };
  const lines: string[] = [];
  for (const [from, to, protocol, port] of OBSERVED) {
    for (const reporter of app(to) ? ['src', 'dst'] : ['src']) {
      lines.push(JSON.stringify({
        start_time: 1796461800, end_time: 1796462100, ...side(from, 'source'), source_port: null, ...side(to, 'dest'), dest_port: port,
        proto: protocol.toLowerCase(), action: 'allow', reporter, num_flows: 3, num_flows_started: 3, num_flows_completed: 3, bytes_in: 100, bytes_out: 200, host: 'kind-worker',
      }));
    }
  }
  return lines;
}
