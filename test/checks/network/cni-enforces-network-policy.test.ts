import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cniEnforcesNetworkPolicy as check } from '../../../src/checks/network/cni-enforces-network-policy.js';
import { paths, runCheck } from '../../helpers.js';

const ds = (name: string, image: string) => `
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: kube-system}
spec:
  template:
    spec:
      containers: [{name: agent, image: ${image}}]
`;

test('passes with Calico, Cilium, Antrea, Weave Net or kube-router (also next to Flannel, as in Canal)', () => {
  for (const [name, image] of [
    ['calico-node', 'docker.io/calico/node:v3.28.0'],
    ['cilium', 'quay.io/cilium/cilium:v1.16.1'],
    ['antrea-agent', 'antrea/antrea-agent-ubuntu:v2.1.0'],
    ['weave-net', 'ghcr.io/weaveworks/launcher/weave-kube:2.8.1'],
    ['kube-router', 'docker.io/cloudnativelabs/kube-router:v2.1.0'],
  ]) {
    assert.deepEqual(runCheck(check, ds(name!, image!) + ds('kube-flannel-ds', 'docker.io/flannel/flannel:v0.25.5')), [], name);
  }
});

test('fails with Flannel alone, pointing at its image', () => {
  const v = runCheck(check, ds('kube-flannel-ds', 'docker.io/flannel/flannel:v0.25.5'));
  assert.deepEqual(paths(v), ['spec.template.spec.containers[0].image']);
  assert.match(v[0]!.message, /Flannel, which does not enforce NetworkPolicies/);
});

test('skips with a warning when the input shows no network plugin', () => {
  assert.throws(() => runCheck(check, ds('fluent-bit', 'cr.fluentbit.io/fluent/fluent-bit:3.1')), /NetworkPolicies only take effect with a CNI that enforces them/);
});

test('an unrelated image named like a common word is not taken for a CNI', () => {
  assert.throws(() => runCheck(check, ds('node-agent', 'docker.io/library/node:20-alpine')), /shows no known network plugin/);
});
