// Validation and defaulting of NetworkPolicy objects (spec/semantics.md §3.1).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readNetworkPolicy } from '../../../src/analysis/netpol/policy.js';
import { formatPath } from '../../../src/inventory/model.js';
import { inventoryFromYaml } from '../../helpers.js';

function read(spec: unknown) {
  const inv = inventoryFromYaml(JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'x' }, spec }));
  return readNetworkPolicy(inv.objects[0]!, 'default');
}

function problemsOf(spec: unknown): string[] {
  const r = read(spec);
  assert.ok('problems' in r, 'expected the policy to be rejected');
  return r.problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
}

test('policyTypes defaulting: Ingress, plus Egress only when egress has a rule', () => {
  const types = (spec: unknown) => {
    const r = read(spec);
    assert.ok('policy' in r);
    return [...r.policy.types].sort();
  };
  assert.deepEqual(types({ podSelector: {} }), ['ingress']);
  assert.deepEqual(types({ podSelector: {}, egress: [] }), ['ingress']);
  assert.deepEqual(types({ podSelector: {}, egress: [{}] }), ['egress', 'ingress']);
  assert.deepEqual(types({ podSelector: {}, policyTypes: ['Egress'], ingress: [{}] }), ['egress']);
  assert.deepEqual(types({ podSelector: {}, policyTypes: [] }), ['ingress']);
});

test('rules of a direction not in policyTypes are dropped', () => {
  const r = read({ podSelector: {}, policyTypes: ['Egress'], ingress: [{}] });
  assert.ok('policy' in r);
  assert.deepEqual(r.policy.rules.ingress, []);
});

test('empty from/ports read as "no restriction", absent spec.podSelector as select-all', () => {
  const r = read({ ingress: [{ from: [], ports: [] }] });
  assert.ok('policy' in r);
  assert.equal(r.policy.rules.ingress[0]!.peers, undefined);
  assert.equal(r.policy.rules.ingress[0]!.ports, undefined);
  assert.ok(r.policy.podSelector.matchesAll);
});

test('invalid CIDRs, protocols, ports and peers are rejected with paths', () => {
  assert.deepEqual(problemsOf({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }), [
    'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33" is not a CIDR: the prefix must be 0 to 32',
  ]);
  assert.match(problemsOf({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] })[0]!, /except 10.0.0.0\/8 must be a strict subset/);
  assert.match(problemsOf({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }] })[0]!, /strict subset/);
  assert.deepEqual(problemsOf({ podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP', port: 8 }] }] }), [
    'spec.ingress[0].ports[0].protocol: protocol "ICMP" is not supported; use TCP, UDP or SCTP',
  ]);
  assert.match(problemsOf({ podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] })[0]!, /port 70000 is not a port number/);
  assert.match(problemsOf({ podSelector: {}, ingress: [{ ports: [{ port: 'Web_Port' }] }] })[0]!, /valid port name/);
  assert.match(problemsOf({ podSelector: {}, ingress: [{ ports: [{ port: '80' }] }] })[0]!, /valid port name/);
  assert.match(problemsOf({ podSelector: {}, ingress: [{ ports: [{ endPort: 90 }] }] })[0]!, /endPort needs a numeric `port`/);
  assert.match(problemsOf({ podSelector: {}, ingress: [{ ports: [{ port: 'web', endPort: 90 }] }] })[0]!, /named port/);
  assert.match(problemsOf({ podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] })[0]!, /at least port 90/);
  assert.match(problemsOf({ podSelector: {}, ingress: [{ from: [{}] }] })[0]!, /^spec.ingress\[0\].from\[0\]: a peer must set/);
  assert.match(problemsOf({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] })[0]!, /cannot be combined/);
  assert.match(problemsOf({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] })[0]!, /at most 2/);
  assert.match(problemsOf({ podSelector: {}, policyTypes: ['ingress'] })[0]!, /"ingress" is not valid; use Ingress or Egress/);
  assert.match(problemsOf({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals' }] } })[0]!, /^spec.podSelector.matchExpressions\[0\]: operator "Equals"/);
  assert.match(problemsOf({ podSelector: {}, ingress: 'all' })[0]!, /^spec.ingress: ingress must be a list/);
  assert.match(problemsOf('deny')[0]!, /^spec: spec must be a mapping/);
});

test('IPv6 ipBlocks and ranges are accepted', () => {
  const r = read({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128'] } }], ports: [{ port: 32000, endPort: 32768, protocol: 'UDP' }] }] });
  assert.ok('policy' in r);
});

test('an invalid policy is left out with its problems; the others are still evaluated', async () => {
  const { inventoryWith, endpoint, policy } = await import('./semantics-fixture.js');
  const { NetpolModel } = await import('../../../src/analysis/netpol/model.js');
  const { Evaluator, verdictFor } = await import('../../../src/analysis/netpol/evaluate.js');
  const model = new NetpolModel(inventoryWith([
    policy('bad-cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/40' } }] }] }),
    policy('bad-selector', { podSelector: { matchExpressions: [{ key: 'pod', operator: 'Equals', values: ['a'] }] }, policyTypes: ['Ingress'] }),
    policy('deny-in', { podSelector: {}, policyTypes: ['Ingress'] }, 'y'),
  ]));
  assert.deepEqual(model.invalidPolicies.map((p) => p.object.name), ['bad-cidr', 'bad-selector']);
  assert.deepEqual(model.policies.map((p) => p.name), ['deny-in']);
  const ev = new Evaluator(model);
  assert.equal(verdictFor(ev.connection(endpoint(model, 'x/b'), endpoint(model, 'y/a')), 'TCP', 80), 'denied');
  assert.equal(verdictFor(ev.connection(endpoint(model, 'y/b'), endpoint(model, 'x/a')), 'TCP', 80), 'allowed');
});
