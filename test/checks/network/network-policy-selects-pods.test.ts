import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkPolicySelectsPods as check } from '../../../src/checks/network/network-policy-selects-pods.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, networkPolicy } from './manifests.js';

const WEB = deployment('shop', 'web', { labels: { 'app.kubernetes.io/name': 'web', tier: 'frontend' } });
const policy = (ns: string, selector: string) => networkPolicy(ns, `p-${ns}`, `{podSelector: ${selector}, policyTypes: [Ingress]}`);

test('passes when the selector matches a workload (or is empty)', () => {
  assert.deepEqual(runCheck(check, WEB + policy('shop', '{matchLabels: {app.kubernetes.io/name: web}}')), []);
  assert.deepEqual(runCheck(check, WEB + policy('shop', '{}')), []);
});

test('fails on a typo in a label value, with the fix', () => {
  const v = runCheck(check, WEB + policy('shop', '{matchLabels: {app.kubernetes.io/name: wbe}}'));
  assert.deepEqual(paths(v), ['spec.podSelector.matchLabels["app.kubernetes.io/name"]']);
  assert.match(v[0]!.message, /\(app.kubernetes.io\/name=wbe\) matches no pod in namespace shop; did you mean app.kubernetes.io\/name=web \(as on shop\/web\)\?/);
  assert.deepEqual(v[0]!.fix, [{ op: 'replace', path: '/spec/podSelector/matchLabels/app.kubernetes.io~1name', value: 'web' }]);
});

test('fails on a typo in a label key, and on a case slip', () => {
  assert.match(runCheck(check, WEB + policy('shop', '{matchLabels: {teir: frontend}}'))[0]!.message, /did you mean tier=frontend/);
  assert.match(runCheck(check, WEB + policy('shop', '{matchLabels: {tier: Frontend}}'))[0]!.message, /did you mean tier=frontend/);
});

test('does not judge a policy whose labels are nowhere near the workloads: an operator may create those pods', () => {
  assert.throws(() => runCheck(check, WEB + policy('shop', '{matchLabels: {app.kubernetes.io/name: prometheus}}')), /select no workload of the input, but no label is a near miss/);
  assert.deepEqual(runCheck(check, WEB + policy('shop', '{matchLabels: {app.kubernetes.io/name: prometheus}}') + networkPolicy('shop', 'ok', '{podSelector: {matchLabels: {tier: frontend}}}')), []);
});

test('skips policies of namespaces whose workloads are not in the input', () => {
  assert.throws(() => runCheck(check, WEB + policy('other', '{matchLabels: {app: x}}')), /check skipped: no NetworkPolicy in a namespace whose workloads are in the input/);
});
