// CIS 1.2.3, 1.2.9–1.2.14: whether an admission plugin runs comes from the exact analysis
// (defaults, --enable/--disable-admission-plugins, the legacy --admission-control), in a
// manifest scan (static pods, with fixes) and a node scan (process flags, config files).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { paths, runCheck } from '../../helpers.js';
import { apiServerManifest as apiServer, fakeFacts } from './node-helpers.js';

const check = (id: string) => {
  const found = cisNodeChecks.find((c) => c.id === id);
  if (!found) throw new Error(`no node check ${id}`);
  return found;
};
const NODE_RESTRICTION = 'apiserver-node-restriction-plugin-enabled';
const ALWAYS_ADMIT = 'apiserver-always-admit-disabled';
const EVENT_RATE_LIMIT = 'apiserver-event-rate-limit-enabled';

test('node-restriction (manifest): passes when enabled, fails when absent with a fix that appends to the list', () => {
  assert.deepEqual(runCheck(check(NODE_RESTRICTION), apiServer('--enable-admission-plugins=NodeRestriction')), []);
  const v = runCheck(check(NODE_RESTRICTION), apiServer('--enable-admission-plugins=AlwaysPullImages'));
  assert.deepEqual(paths(v), ['spec.containers[0].command[2]']);
  assert.match(v[0]!.message, /NodeRestriction is off by default and --enable-admission-plugins \(AlwaysPullImages\) does not include it/);
  assert.deepEqual(v[0]!.fix, [{ op: 'replace', path: '/spec/containers/0/command/2', value: '--enable-admission-plugins=AlwaysPullImages,NodeRestriction' }]);
  const w = runCheck(check(NODE_RESTRICTION), apiServer());
  assert.deepEqual(paths(w), ['spec.containers[0].command']);
  assert.deepEqual(w[0]!.fix, [{ op: 'add', path: '/spec/containers/0/command/-', value: '--enable-admission-plugins=NodeRestriction' }]);
});

test('node-restriction (manifest): an image-entrypoint API server with args, and a --disable list', () => {
  const v = runCheck(check(NODE_RESTRICTION), `
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
  assert.deepEqual(v[0]!.fix, [{ op: 'remove', path: '/spec/containers/0/args/1' }]);
});

test('always-admit (manifest): fails when enabled, with a fix that removes it from the list or drops the flag', () => {
  assert.deepEqual(runCheck(check(ALWAYS_ADMIT), apiServer('--enable-admission-plugins=NodeRestriction')), []);
  const v = runCheck(check(ALWAYS_ADMIT), apiServer('--enable-admission-plugins=AlwaysAdmit,NodeRestriction'));
  assert.deepEqual(v[0]!.fix, [{ op: 'replace', path: '/spec/containers/0/command/2', value: '--enable-admission-plugins=NodeRestriction' }]);
  const legacy = runCheck(check(ALWAYS_ADMIT), apiServer('--admission-control=AlwaysAdmit'));
  assert.match(legacy[0]!.message, /--admission-control enables AlwaysAdmit/);
  assert.deepEqual(legacy[0]!.fix, [{ op: 'remove', path: '/spec/containers/0/command/2' }]);
});

test('event-rate-limit (manifest): off by default; on without a configuration file the API server cannot start', () => {
  assert.match(runCheck(check(EVENT_RATE_LIMIT), apiServer())[0]!.message, /EventRateLimit is off by default and --enable-admission-plugins is not set/);
  assert.match(runCheck(check(EVENT_RATE_LIMIT), apiServer('--enable-admission-plugins=EventRateLimit'))[0]!.message, /--admission-control-config-file is not set/);
  assert.deepEqual(runCheck(check(EVENT_RATE_LIMIT), apiServer('--enable-admission-plugins=EventRateLimit', '--admission-control-config-file=/etc/kubernetes/admission.yaml')), []);
});

test('the legacy --admission-control runs exactly the plugins it lists: a default-on plugin it leaves out is off', () => {
  const facts = fakeFacts([{ component: 'kube-apiserver', args: ['--admission-control=NodeRestriction,NamespaceLifecycle'] }]);
  const sa = check('apiserver-service-account-plugin-enabled').evaluateNode(facts);
  assert.equal(sa.status, 'fail', 'a plain test of --disable-admission-plugins would pass this');
  assert.match(sa.reason, /--admission-control runs exactly the plugins it lists and does not list ServiceAccount/);
  assert.equal(check('apiserver-namespace-lifecycle-plugin-enabled').evaluateNode(facts).status, 'pass');
  assert.equal(check(NODE_RESTRICTION).evaluateNode(facts).status, 'pass');
  const evidence = check(NODE_RESTRICTION).evaluateNode(facts).evidence;
  assert.ok(evidence.some((e) => e.subject === 'kube-apiserver admission plugin NodeRestriction' && e.value === 'runs'));
});

test('default-on plugins pass without flags and fail when disabled; repeated list flags append', () => {
  const api = (...args: string[]) => fakeFacts([{ component: 'kube-apiserver', args }]);
  assert.equal(check('apiserver-namespace-lifecycle-plugin-enabled').evaluateNode(api()).status, 'pass');
  assert.equal(check('apiserver-namespace-lifecycle-plugin-enabled').evaluateNode(api('--disable-admission-plugins=DefaultStorageClass', '--disable-admission-plugins=NamespaceLifecycle')).status, 'fail');
  assert.equal(check(ALWAYS_ADMIT).evaluateNode(api('--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins', 'AlwaysAdmit')).status, 'fail');
});

const root = mkdtempSync(path.join(tmpdir(), 'kubeharden-admission-'));
after(() => rmSync(root, { recursive: true, force: true }));
function put(hostPath: string, text: string): string {
  mkdirSync(path.dirname(path.join(root, hostPath)), { recursive: true });
  writeFileSync(path.join(root, hostPath), text);
  return hostPath;
}

test('event-rate-limit (node): the admission configuration file on the host must give EventRateLimit limits', () => {
  const admission = (pluginPath: string) =>
    `apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: EventRateLimit\n  path: ${pluginPath}\n`;
  const limits = put('/etc/kubernetes/erl.yaml', 'apiVersion: eventratelimit.admission.k8s.io/v1alpha1\nkind: Configuration\nlimits:\n- type: Namespace\n  qps: 50\n  burst: 100\n');
  const good = put('/etc/kubernetes/admission.yaml', admission(limits));
  const noPlugin = put('/etc/kubernetes/admission-empty.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: []\n');
  const run = (file: string) =>
    check(EVENT_RATE_LIMIT).evaluateNode(fakeFacts([{ component: 'kube-apiserver', args: ['--enable-admission-plugins=EventRateLimit', `--admission-control-config-file=${file}`] }], root));
  const pass = run(good);
  assert.equal(pass.status, 'pass', pass.reason);
  assert.ok(pass.evidence.some((e) => e.subject === 'EventRateLimit limits' && e.value === 'Namespace qps 50 burst 100'));
  const none = run(noPlugin);
  assert.equal(none.status, 'warn', 'a Manual item warns');
  assert.match(none.reason, /EventRateLimit is enabled without a configuration/);
  assert.equal(run('/etc/kubernetes/missing.yaml').status, 'skip');
});
