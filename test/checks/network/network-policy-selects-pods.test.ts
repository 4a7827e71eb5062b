import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkPolicySelectsPods as check } from '../../../src/checks/network/network-policy-selects-pods.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, networkPolicy } from './manifests.js';

const WEB = deployment('shop', 'web', { labels: { 'app.kubernetes.io/name': 'web' } });
const policy = (ns: string, selector: string) => networkPolicy(ns, `p-${ns}`, `{podSelector: ${selector}, policyTypes: [Ingress]}`);

test('passes when the selector matches a workload (or is empty)', () => {
  assert.deepEqual(runCheck(check, WEB + policy('shop', '{matchLabels: {app.kubernetes.io/name: web}}')), []);
  assert.deepEqual(runCheck(check, WEB + policy('shop', '{}')), []);
});

test('fails on a typo in a label', () => {
  const v = runCheck(check, WEB + policy('shop', '{matchLabels: {app.kubernetes.io/name: wbe}}'));
  assert.deepEqual(paths(v), ['spec.podSelector']);
  assert.match(v[0]!.message, /\(app.kubernetes.io\/name=wbe\) matches no pod in namespace shop/);
});

test('skips policies of namespaces whose workloads are not in the input', () => {
  assert.throws(() => runCheck(check, WEB + policy('other', '{matchLabels: {app: x}}')), /check skipped/);
});
