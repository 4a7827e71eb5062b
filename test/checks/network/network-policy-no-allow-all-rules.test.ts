import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkPolicyNoAllowAll as check } from '../../../src/checks/network/network-policy-no-allow-all-rules.js';
import { paths, runCheck } from '../../helpers.js';

const policy = (spec: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec: ${spec}
`;

test('passes for named peers, ports, and 0.0.0.0/0 with an except or ports', () => {
  assert.deepEqual(runCheck(check, policy('{podSelector: {}, ingress: [{from: [{podSelector: {matchLabels: {app: fe}}}]}]}')), []);
  assert.deepEqual(runCheck(check, policy('{podSelector: {}, ingress: [{ports: [{port: 443}]}]}')), []);
  assert.deepEqual(runCheck(check, policy('{podSelector: {}, egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]}]}')), []);
  assert.deepEqual(runCheck(check, policy('{podSelector: {}, egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 443}]}]}')), []);
  // Rules of a direction not in policyTypes are ignored by the API, so they allow nothing.
  assert.deepEqual(runCheck(check, policy('{podSelector: {}, policyTypes: [Egress], ingress: [{}]}')), []);
});

test('fails for `ingress: [{}]`, `from: []` and a 0.0.0.0/0 or ::/0 peer on every port', () => {
  assert.deepEqual(paths(runCheck(check, policy('{podSelector: {}, ingress: [{}], egress: [{from: []}]}'))), ['spec.ingress[0]', 'spec.egress[0]']);
  const v = runCheck(check, policy('{podSelector: {}, egress: [{to: [{podSelector: {}}, {ipBlock: {cidr: "::/0"}}]}]}'));
  assert.deepEqual(paths(v), ['spec.egress[0].to[1].ipBlock.cidr']);
  assert.match(v[0]!.message, /allows ::\/0 on every port/);
});
