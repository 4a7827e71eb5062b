import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiServerAdmissionFlagsValid } from '../../../src/checks/admission/apiserver-admission-flags-valid.js';
import { apiServerAlwaysAdmitDisabled } from '../../../src/checks/admission/apiserver-always-admit-disabled.js';
import { apiServerEventRateLimitEnabled } from '../../../src/checks/admission/apiserver-event-rate-limit-enabled.js';
import { apiServerNodeRestrictionEnabled } from '../../../src/checks/admission/apiserver-node-restriction-enabled.js';
import { apiServerPodSecurityAdmissionEnabled } from '../../../src/checks/admission/apiserver-pod-security-admission-enabled.js';
import { contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';

/** A kubeadm-style static Pod; `flags` are appended to its command. */
const apiServer = (...flags: string[]) => `
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.34.1
    command:
    - kube-apiserver
    - --authorization-mode=Node,RBAC
${flags.map((f) => `    - ${f}`).join('\n')}
`;

test('admission checks skip when there is no kube-apiserver, and ignore other pods', () => {
  const inventory = inventoryFromYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: web, image: nginx, command: [nginx]}\n');
  assert.deepEqual(apiServerNodeRestrictionEnabled.evaluate(inventory, contextFor(inventory)), { skip: 'the input has no kube-apiserver static Pod' });
});

test('node-restriction: passes when enabled, fails when absent with a fix that appends to the list', () => {
  assert.deepEqual(runCheck(apiServerNodeRestrictionEnabled, apiServer('--enable-admission-plugins=NodeRestriction')), []);
  const v = runCheck(apiServerNodeRestrictionEnabled, apiServer('--enable-admission-plugins=AlwaysPullImages'));
  assert.deepEqual(paths(v), ['spec.containers[0].command[2]']);
  assert.match(v[0]!.message, /does not include NodeRestriction, which is off by default/);
  assert.deepEqual(v[0]!.fix, [{ op: 'replace', path: '/spec/containers/0/command/2', value: '--enable-admission-plugins=AlwaysPullImages,NodeRestriction' }]);
  const w = runCheck(apiServerNodeRestrictionEnabled, apiServer());
  assert.deepEqual(paths(w), ['spec.containers[0].command']);
  assert.deepEqual(w[0]!.fix, [{ op: 'add', path: '/spec/containers/0/command/-', value: '--enable-admission-plugins=NodeRestriction' }]);
});

test('node-restriction: an image-entrypoint API server with args, and a --disable list', () => {
  const v = runCheck(apiServerNodeRestrictionEnabled, `
apiVersion: v1
kind: Pod
metadata: {name: apiserver}
spec:
  containers:
  - name: apiserver
    image: registry.k8s.io/kube-apiserver:v1.34.1
    args: [--enable-admission-plugins=AlwaysPullImages, --disable-admission-plugins=NodeRestriction]
`);
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /--disable-admission-plugins turns NodeRestriction off/);
  assert.deepEqual(paths(v), ['spec.containers[0].args[1]']);
});

test('always-admit: fails when enabled, with a fix that removes it', () => {
  assert.deepEqual(runCheck(apiServerAlwaysAdmitDisabled, apiServer('--enable-admission-plugins=NodeRestriction')), []);
  const v = runCheck(apiServerAlwaysAdmitDisabled, apiServer('--enable-admission-plugins=AlwaysAdmit,NodeRestriction'));
  assert.deepEqual(v[0]!.fix, [{ op: 'replace', path: '/spec/containers/0/command/2', value: '--enable-admission-plugins=NodeRestriction' }]);
  const legacy = runCheck(apiServerAlwaysAdmitDisabled, apiServer('--admission-control=AlwaysAdmit'));
  assert.deepEqual(legacy[0]!.fix, [{ op: 'remove', path: '/spec/containers/0/command/2' }]);
});

test('pod-security: on by default; fails when disabled or left out of --admission-control', () => {
  assert.deepEqual(runCheck(apiServerPodSecurityAdmissionEnabled, apiServer()), []);
  assert.match(runCheck(apiServerPodSecurityAdmissionEnabled, apiServer('--disable-admission-plugins=PodSecurity'))[0]!.message, /turns PodSecurity off/);
  assert.match(runCheck(apiServerPodSecurityAdmissionEnabled, apiServer('--admission-control=NodeRestriction'))[0]!.message, /does not list PodSecurity/);
});

test('event-rate-limit: off by default; on without a configuration file the API server cannot start', () => {
  assert.match(runCheck(apiServerEventRateLimitEnabled, apiServer())[0]!.message, /EventRateLimit is off by default/);
  assert.match(runCheck(apiServerEventRateLimitEnabled, apiServer('--enable-admission-plugins=EventRateLimit'))[0]!.message, /--admission-control-config-file is not set/);
  assert.deepEqual(runCheck(apiServerEventRateLimitEnabled, apiServer('--enable-admission-plugins=EventRateLimit', '--admission-control-config-file=/etc/kubernetes/admission.yaml')), []);
});

test('admission-flags-valid: reports unknown plugins at the flag', () => {
  assert.deepEqual(runCheck(apiServerAdmissionFlagsValid, apiServer('--enable-admission-plugins=NodeRestriction')), []);
  const v = runCheck(apiServerAdmissionFlagsValid, apiServer('--enable-admission-plugins=NodeRestriction,PodSecurityPolicy'));
  assert.deepEqual(paths(v), ['spec.containers[0].command[2]']);
  assert.match(v[0]!.message, /PodSecurityPolicy, which is removed in Kubernetes 1\.25/);
  const overlap = runCheck(apiServerAdmissionFlagsValid, apiServer('--enable-admission-plugins=NodeRestriction', '--disable-admission-plugins=NodeRestriction'));
  assert.deepEqual(paths(overlap), ['spec.containers[0].command[3]']);
  assert.match(overlap[0]!.message, /NodeRestriction both enabled and disabled: the API server refuses to start/);
});
