// ipBlock peers against pods whose IP the manifests do not give: judged against the pod network.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetpolModel } from '../../../src/analysis/netpol/model.js';
import { Evaluator, verdictFor } from '../../../src/analysis/netpol/evaluate.js';
import { inventoryFromYaml } from '../../helpers.js';

function verdict(cidr: string, except: string[], podCidrs?: string[]): string {
  const inventory = inventoryFromYaml(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: a}
spec: {template: {metadata: {labels: {app: client}}, spec: {containers: [{name: c, image: busybox:1.36}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: server, namespace: b}
spec: {template: {metadata: {labels: {app: server}}, spec: {containers: [{name: c, image: nginx:1.27}]}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: by-ip, namespace: b}
spec:
  podSelector: {}
  ingress: [{from: [{ipBlock: ${JSON.stringify({ cidr, except })}}]}]
`);
  const model = new NetpolModel(inventory, podCidrs ? { podCidrs } : {});
  const [client] = model.findWorkloads('a/client');
  const [server] = model.findWorkloads('b/server');
  return verdictFor(new Evaluator(model).connection({ kind: 'workload', workload: client! }, { kind: 'workload', workload: server! }), 'TCP', 80);
}

test('a block covering every private range matches any pod; one outside them matches none', () => {
  assert.equal(verdict('0.0.0.0/0', []), 'allowed');
  assert.equal(verdict('0.0.0.0/0', ['169.254.169.254/32']), 'allowed');
  assert.equal(verdict('192.0.2.0/24', []), 'denied');
  assert.equal(verdict('0.0.0.0/0', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']), 'denied');
});

test('a block covering part of the pod network is uncertain, until the pod CIDR is given', () => {
  assert.equal(verdict('10.0.0.0/8', []), 'uncertain');
  assert.equal(verdict('10.0.0.0/8', [], ['10.244.0.0/16']), 'allowed');
  assert.equal(verdict('10.0.0.0/8', ['10.244.0.0/16'], ['10.244.0.0/16']), 'denied');
  assert.equal(verdict('10.244.0.0/24', [], ['10.244.0.0/16']), 'uncertain');
});
