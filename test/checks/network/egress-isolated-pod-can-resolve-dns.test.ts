import { test } from 'node:test';
import assert from 'node:assert/strict';
import { egressIsolatedPodCanResolveDns as check } from '../../../src/checks/network/egress-isolated-pod-can-resolve-dns.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, networkPolicy } from './manifests.js';

const WEB = deployment('shop', 'web') + networkPolicy('shop', 'deny-out', '{podSelector: {}, policyTypes: [Egress]}');
const allow = (rule: string) => networkPolicy('shop', 'dns', `{podSelector: {}, policyTypes: [Egress], egress: [${rule}]}`);

test('passes when DNS to kube-dns (or NodeLocal DNS) is allowed, and for pods not isolated for egress', () => {
  assert.deepEqual(runCheck(check, WEB + allow('{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}')), []);
  assert.deepEqual(runCheck(check, WEB + allow('{ports: [{port: 53, protocol: UDP}]}')), []);
  assert.deepEqual(runCheck(check, WEB + allow('{to: [{ipBlock: {cidr: 169.254.20.10/32}}], ports: [{port: 53, protocol: UDP}]}')), []);
  assert.deepEqual(runCheck(check, WEB.replace('policyTypes: [Egress]', 'policyTypes: [Ingress]')), []);
});

test('fails when egress is denied and DNS is not allowed, or only on TCP, or to the wrong namespace', () => {
  assert.deepEqual(paths(runCheck(check, WEB)), ['spec.template.metadata.labels']);
  assert.match(runCheck(check, WEB)[0]!.message, /isolated for egress by deny-out and no rule allows UDP 53 to the cluster DNS/);
  assert.equal(runCheck(check, WEB + allow('{ports: [{port: 53}]}')).length, 1);
  assert.equal(runCheck(check, WEB + allow('{to: [{podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}]}')).length, 1);
});
