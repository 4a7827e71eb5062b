// Every worked case of spec/semantics.md §3.8, as written there (numbers match the table).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { E1, E2, decide, policy } from './semantics-fixture.js';
import type { Protocol } from '../../../src/analysis/netpol/ports.js';

const denyIn = policy('deny-in', { podSelector: {}, policyTypes: ['Ingress'] });
const allowA = policy('allow-a', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{}] });
const p7 = policy('p7', { podSelector: { matchLabels: { pod: 'a' } }, egress: [{ to: [{ podSelector: {} }] }] });
const p9 = policy('p9', { podSelector: { matchLabels: { pod: 'a' } }, egress: [] });
const p11 = policy('p11', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'], ingress: [{}] });
const ingressToA = (name: string, rule: unknown) => policy(name, { podSelector: { matchLabels: { pod: 'a' } }, ingress: [rule] });
const ingressToAll = (name: string, rule: unknown) => policy(name, { podSelector: {}, ingress: [rule] });
const p12 = ingressToA('p12', { from: [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { pod: 'b' } } }] });
const p15 = ingressToA('p15', { from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }, { podSelector: { matchLabels: { pod: 'b' } } }] });
const p18 = ingressToA('p18', { from: [{ podSelector: {} }] });
const p19 = ingressToA('p19', { from: [{ namespaceSelector: {} }] });
const p21 = ingressToA('p21', { ports: [{ port: 80 }] });
const p23 = ingressToA('p23', { ports: [{ port: 53 }] });
const p24 = ingressToA('p24', { ports: [{ protocol: 'UDP', port: 53 }] });
const p25 = ingressToAll('p25', { ports: [{ port: 'web' }] });
const p28 = ingressToAll('p28', { ports: [{ port: 'dns' }] });
const p29 = ingressToA('p29', { ports: [{ port: 80, endPort: 81 }] });
const p32 = ingressToA('p32', { from: [{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.0/28'] } }] });
const denyOut = policy('deny-out', { podSelector: {}, policyTypes: ['Egress'] });
const dnsOut = policy('dns-out', {
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [{
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
  }],
});
const yDenyIn = policy('deny-in', { podSelector: {}, policyTypes: ['Ingress'] }, 'y');
const xAllowAllOut = policy('allow-all-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
const p39 = policy('p39', { podSelector: { matchLabels: { pod: 'zzz' } }, policyTypes: ['Ingress'] });
const p40 = ingressToA('p40', { from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['b'] }] } }] });
const p41 = ingressToA('p41', { from: [{ ipBlock: { cidr: '10.0.0.0/16' } }] });

type Case = [number, unknown[], string, string, Protocol, number, 'allowed' | 'denied' | 'uncertain', string];
const CASES: Case[] = [
  [1, [], 'y/b', 'x/a', 'TCP', 80, 'allowed', 'non-isolated default'],
  [2, [denyIn], 'y/b', 'x/a', 'TCP', 80, 'denied', 'ingress isolation'],
  [3, [denyIn], 'x/b', 'x/a', 'TCP', 80, 'denied', 'same namespace also denied'],
  [4, [denyIn], 'x/a', 'y/b', 'TCP', 80, 'allowed', 'egress not isolated; y not isolated'],
  [5, [denyIn, allowA], 'y/b', 'x/a', 'TCP', 80, 'allowed', 'union beats deny-all'],
  [6, [denyIn, allowA], 'y/b', 'x/b', 'TCP', 80, 'denied', 'only pod a opened'],
  [7, [p7], 'x/b', 'x/a', 'TCP', 80, 'denied', 'policyTypes defaults to [Ingress, Egress]; no ingress rules'],
  [8, [p7], 'x/a', 'y/b', 'TCP', 80, 'denied', 'egress only to same-ns pods'],
  [9, [p9], 'x/a', E1, 'TCP', 443, 'allowed', '`egress: []` does not add Egress'],
  [10, [p9], 'y/b', 'x/a', 'TCP', 80, 'denied', 'Ingress defaulted, no rules'],
  [11, [p11, denyIn], 'y/b', 'x/a', 'TCP', 80, 'denied', 'ingress rules ignored when not in policyTypes'],
  [12, [p12], 'y/b', 'x/a', 'TCP', 80, 'allowed', 'AND in one peer'],
  [13, [p12], 'y/c', 'x/a', 'TCP', 80, 'denied', 'AND'],
  [14, [p12], 'x/b', 'x/a', 'TCP', 80, 'denied', 'x lacks team=b'],
  [15, [p15], 'y/c', 'x/a', 'TCP', 80, 'allowed', 'OR: any pod of team=b ns'],
  [16, [p15], 'x/b', 'x/a', 'TCP', 80, 'allowed', 'OR: pod b of own ns'],
  [17, [p15], 'z/b', 'x/a', 'TCP', 80, 'denied', 'podSelector alone = own ns only'],
  [18, [p18], 'y/b', 'x/a', 'TCP', 80, 'denied', 'empty podSelector = same namespace'],
  [19, [p19], 'z/c', 'x/a', 'TCP', 80, 'allowed', 'all pods all ns'],
  [20, [p19], E1, 'x/a', 'TCP', 80, 'denied', 'namespaceSelector never matches external IPs'],
  [21, [p21], E1, 'x/a', 'TCP', 80, 'allowed', 'absent `from` = all sources'],
  [22, [p21], E1, 'x/a', 'TCP', 81, 'denied', 'port'],
  [23, [p23], 'y/b', 'x/a', 'UDP', 53, 'denied', 'protocol defaults to TCP'],
  [24, [p24], 'y/b', 'x/a', 'UDP', 53, 'allowed', 'explicit UDP'],
  [25, [p25], 'y/b', 'x/a', 'TCP', 80, 'allowed', 'named port resolves to 80 on a'],
  [26, [p25], 'y/b', 'x/d', 'TCP', 8080, 'allowed', 'named port resolves to 8080 on d'],
  [27, [p25], 'y/b', 'x/d', 'TCP', 80, 'denied', '80 is not `web` on d'],
  [28, [p28], 'y/b', 'x/a', 'UDP', 53, 'denied', '`dns` is UDP, rule protocol defaulted TCP'],
  [29, [p29], 'y/b', 'x/a', 'TCP', 81, 'allowed', 'inclusive range'],
  [30, [p29], 'y/b', 'x/a', 'TCP', 82, 'denied', 'range end'],
  [31, [p29], 'y/b', 'x/a', 'UDP', 80, 'denied', 'range protocol TCP'],
  [32, [p32], E1, 'x/a', 'TCP', 80, 'denied', 'in except'],
  [33, [p32], E2, 'x/a', 'TCP', 80, 'allowed', 'in cidr, outside except'],
  [34, [denyOut], 'x/a', 'y/b', 'TCP', 80, 'denied', 'egress isolation at source suffices'],
  [35, [denyOut, dnsOut], 'x/a', 'kube-system/dns', 'UDP', 53, 'allowed', 'DNS carve-out'],
  [36, [denyOut, dnsOut], 'x/a', 'kube-system/dns', 'TCP', 80, 'denied', 'ports restrict'],
  [37, [yDenyIn, xAllowAllOut], 'x/a', 'y/b', 'TCP', 80, 'denied', 'destination ingress still required'],
  [38, [yDenyIn], 'x/a', 'x/b', 'TCP', 80, 'allowed', 'policies are namespace-scoped'],
  [39, [p39], 'y/b', 'x/a', 'TCP', 80, 'allowed', 'selects nothing → no isolation'],
  [40, [p40], 'z/a', 'x/a', 'TCP', 80, 'allowed', 'NotIn matches missing key'],
  [41, [p41], 'y/b', 'x/a', 'TCP', 80, 'allowed', 'ipBlock can match pod IPs'],
  [42, [denyIn], 'node', 'x/a', 'TCP', 80, 'allowed', 'node-local exception (kubelet probes)'],
];

for (const [n, policies, from, to, protocol, port, expected, point] of CASES) {
  test(`§3.8 case ${n}: ${from} → ${to} ${protocol} ${port} is ${expected} (${point})`, () => {
    assert.equal(decide(policies, from, to, protocol, port), expected);
  });
}

test('§3.8 case 43: a hostNetwork source is implementation-defined, never claimed denied', async () => {
  const { inventoryWith, endpoint } = await import('./semantics-fixture.js');
  const { NetpolModel } = await import('../../../src/analysis/netpol/model.js');
  const { Evaluator, verdictFor } = await import('../../../src/analysis/netpol/evaluate.js');
  const hostPod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'agent', namespace: 'y', labels: { pod: 'agent' } },
    spec: { hostNetwork: true, containers: [{ name: 'agent', image: 'registry.example/agent:1' }] },
  };
  const model = new NetpolModel(inventoryWith([denyIn, hostPod]));
  const answer = new Evaluator(model).connection(endpoint(model, 'y/agent'), endpoint(model, 'x/a'));
  assert.equal(verdictFor(answer, 'TCP', 80), 'uncertain');
  assert.ok(answer.ingress.notes.some((n) => /hostNetwork/.test(n)));
  // …and a policy selecting a hostNetwork pod is not claimed to protect it.
  const hostDst = new Evaluator(model).connection(endpoint(model, 'x/a'), endpoint(model, 'y/agent'));
  assert.equal(verdictFor(hostDst, 'TCP', 80), 'allowed');
});

test('the fast path of the matrix gives the same ports as the explained answer, for every pair and every case', async () => {
  const { inventoryWith } = await import('./semantics-fixture.js');
  const { NetpolModel } = await import('../../../src/analysis/netpol/model.js');
  const { Evaluator } = await import('../../../src/analysis/netpol/evaluate.js');
  for (const [n, policies] of CASES) {
    const model = new NetpolModel(inventoryWith(policies));
    const ev = new Evaluator(model);
    for (const a of model.workloads) {
      for (const b of model.workloads) {
        const src = { kind: 'workload' as const, workload: a };
        const dst = { kind: 'workload' as const, workload: b };
        const fast = ev.ports(src, dst);
        const full = ev.connection(src, dst);
        assert.equal(fast.sure, full.sure, `case ${n}: ${a.id} → ${b.id}`);
        assert.equal(fast.possible, full.possible, `case ${n}: ${a.id} → ${b.id}`);
      }
    }
  }
});

test('a pod cannot block access to itself; a controller\'s diagonal is replica to replica', async () => {
  const { inventoryWith, endpoint } = await import('./semantics-fixture.js');
  const { NetpolModel } = await import('../../../src/analysis/netpol/model.js');
  const { Evaluator, verdictFor } = await import('../../../src/analysis/netpol/evaluate.js');
  const replicas = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'x' },
    spec: { template: { metadata: { labels: { pod: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  };
  const model = new NetpolModel(inventoryWith([denyIn, replicas]));
  const ev = new Evaluator(model);
  const self = endpoint(model, 'x/a');
  assert.equal(verdictFor(ev.connection(self, self), 'TCP', 80), 'allowed');
  assert.equal(verdictFor(ev.ports(self, self), 'TCP', 80), 'allowed');
  const web = endpoint(model, 'x/web');
  assert.equal(verdictFor(ev.connection(web, web), 'TCP', 80), 'denied');
  assert.match(ev.connection(web, web).ingress.notes.join(' '), /one replica reaching another/);
});
