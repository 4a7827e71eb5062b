import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceHasDefaultDenyEgress, namespaceHasDefaultDenyIngress } from '../../../src/checks/network/namespace-default-deny.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, networkPolicy } from './manifests.js';

const SHOP = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' + deployment('shop', 'web') + deployment('api', 'api');
const policy = networkPolicy;

test('passes when each namespace has a default-deny for the direction', () => {
  const yaml = SHOP + policy('shop', 'deny', '{podSelector: {}, policyTypes: [Ingress, Egress]}') + policy('api', 'deny', '{podSelector: {}, policyTypes: [Ingress, Egress], egress: [{to: [{namespaceSelector: {}}], ports: [{port: 53, protocol: UDP}]}]}');
  assert.deepEqual(runCheck(namespaceHasDefaultDenyIngress, yaml), []);
  assert.deepEqual(runCheck(namespaceHasDefaultDenyEgress, yaml), []);
});

test('fails per namespace, pointing at the Namespace object or else the first workload', () => {
  const v = runCheck(namespaceHasDefaultDenyIngress, SHOP);
  assert.deepEqual(v.map((x) => `${x.object?.kind} ${x.object?.name} ${paths([x])[0]}`), ['Deployment api metadata.namespace', 'Namespace shop metadata.name']);
  assert.match(v[1]!.message, /namespace shop has no default-deny ingress NetworkPolicy/);
});

test('a policy for one direction does not count for the other; egress-only defaulting counts for both', () => {
  const ingressOnly = SHOP + policy('shop', 'deny-in', '{podSelector: {}, policyTypes: [Ingress]}');
  assert.deepEqual(runCheck(namespaceHasDefaultDenyEgress, ingressOnly).map((x) => x.object?.name), ['api', 'shop']);
  assert.deepEqual(runCheck(namespaceHasDefaultDenyIngress, ingressOnly).map((x) => x.object?.name), ['api']);
  // No policyTypes and an egress rule: stored as [Ingress, Egress].
  const defaulted = SHOP + policy('shop', 'p', '{podSelector: {}, egress: [{ports: [{port: 53, protocol: UDP}]}]}');
  assert.deepEqual(runCheck(namespaceHasDefaultDenyEgress, defaulted).map((x) => x.object?.name), ['api']);
  assert.deepEqual(runCheck(namespaceHasDefaultDenyIngress, defaulted).map((x) => x.object?.name), ['api']);
});

test('a namespace-wide policy that allows everything is not a default-deny; one selecting some pods is not either', () => {
  const allowAll = SHOP + policy('shop', 'all', '{podSelector: {}, policyTypes: [Ingress], ingress: [{}]}') + policy('api', 'some', '{podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress]}');
  const v = runCheck(namespaceHasDefaultDenyIngress, allowAll);
  assert.equal(v.length, 2);
  assert.match(v.find((x) => x.object?.name === 'shop')!.message, /select every pod for Ingress but allow all of it/);
});
