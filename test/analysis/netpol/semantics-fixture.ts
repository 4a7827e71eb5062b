// The fixture of spec/semantics.md §3.8: namespaces x, y, z and kube-system, pods a, b, c in
// each of x, y, z (ports 80/TCP web, 81/TCP metrics, 53/UDP dns), x/d naming 8080/TCP `web`
// and serving 80/TCP unnamed, kube-system/dns serving 53/UDP and 53/TCP. Pod IPs in 10.0.0.0/16.

import { Inventory } from '../../../src/inventory/inventory.js';
import { addText } from '../../../src/inventory/parse-manifest.js';
import { NetpolModel } from '../../../src/analysis/netpol/model.js';
import { Evaluator, verdictFor, type Endpoint } from '../../../src/analysis/netpol/evaluate.js';
import { parseIp } from '../../../src/analysis/netpol/cidr.js';
import type { Protocol } from '../../../src/analysis/netpol/ports.js';

const STANDARD_PORTS = [
  { name: 'web', containerPort: 80 },
  { name: 'metrics', containerPort: 81 },
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
];

function pod(namespace: string, name: string, labels: Record<string, string>, ports: unknown[], ip: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'main', image: 'registry.example/agnhost:2.52', ports }] },
    status: { podIP: ip },
  };
}

export function fixtureObjects(): unknown[] {
  const objects: unknown[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', labels: { team: 'a' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'y', labels: { team: 'b' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'z' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
  ];
  ['x', 'y', 'z'].forEach((ns, i) => {
    ['a', 'b', 'c'].forEach((name, j) => objects.push(pod(ns, name, { pod: name }, STANDARD_PORTS, `10.0.${i + 1}.${j + 1}`)));
  });
  objects.push(pod('x', 'd', { pod: 'd' }, [{ name: 'web', containerPort: 8080 }, { containerPort: 80 }], '10.0.1.4'));
  objects.push(
    pod('kube-system', 'dns', { 'k8s-app': 'kube-dns' }, [
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
    ], '10.0.9.1'),
  );
  return objects;
}

/** `{spec}` fragments of the table become NetworkPolicies (in namespace x unless given). */
export function policy(name: string, spec: unknown, namespace = 'x'): unknown {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

export function inventoryWith(policies: unknown[]): Inventory {
  const inventory = new Inventory();
  // JSON documents: in YAML 1.1 (as Kubernetes reads it) a bare `y` would be the boolean true.
  const text = [...fixtureObjects(), ...policies].map((o) => JSON.stringify(o)).join('\n---\n');
  addText(inventory, 'fixture.yaml', text, 0);
  return inventory;
}

export const E1 = '192.0.2.10';
export const E2 = '192.0.2.20';

/** `x/a` → the pod; an address → an external endpoint; `node` → the destination's node. */
export function endpoint(model: NetpolModel, ref: string): Endpoint {
  if (ref === 'node') return { kind: 'node' };
  const ip = parseIp(ref);
  if (ip) return { kind: 'ip', ip };
  const [w] = model.findWorkloads(ref);
  if (!w) throw new Error(`no workload ${ref} in the fixture`);
  return { kind: 'workload', workload: w };
}

export function decide(policies: unknown[], from: string, to: string, protocol: Protocol, port: number): 'allowed' | 'denied' | 'uncertain' {
  const inventory = inventoryWith(policies);
  if (inventory.problems.length) throw new Error(inventory.problems.map((p) => p.message).join('; '));
  const model = new NetpolModel(inventory);
  if (model.invalidPolicies.length) throw new Error(JSON.stringify(model.invalidPolicies.map((p) => p.problems)));
  const answer = new Evaluator(model).connection(endpoint(model, from), endpoint(model, to));
  return verdictFor(answer, protocol, port);
}
