// CIS flag items in a manifest scan: control-plane static pods (a kubeadm manifests/ folder
// or a saved kube-system Pod list) and KubeletConfiguration files, with findings at the
// exact command[i] / args[i] line and a JSON patch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { scanManifests } from '../../../src/engine/scan.js';
import { ALL_CHECKS } from '../../../src/checks/index.js';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { REPO_ROOT, runCheck } from '../../helpers.js';

const KUBEADM = path.join(REPO_ROOT, 'test', 'fixtures', 'node', 'kubeadm');
const check = (id: string) => cisNodeChecks.find((c) => c.id === id)!;

test('a kubeadm manifests folder: the flag items a default install fails, pointing at the command list', async () => {
  const result = await scanManifests([path.join(KUBEADM, 'manifests'), path.join(KUBEADM, 'kubelet-config.yaml')], { checks: cisNodeChecks });
  const status = (id: string) => result.checks.find((c) => c.id === id)!.status;
  assert.equal(status('apiserver-profiling-disabled'), 'fail');
  assert.equal(status('apiserver-node-restriction-plugin-enabled'), 'pass');
  assert.equal(status('etcd-client-cert-auth'), 'pass');
  assert.equal(status('kubelet-anonymous-auth-disabled'), 'pass', 'KubeletConfiguration read with config-file defaults');
  assert.equal(status('kubelet-pod-pids-limit'), 'warn', 'a failing Manual item reports warn, as in the node scan');
  assert.equal(status('apiserver-manifest-mode'), 'skip', 'file modes need a node scan');
  assert.equal(status('apiserver-request-timeout-appropriate'), 'manual', 'manual items say what a human must look at');
  const f = result.findings.find((x) => x.check === 'scheduler-profiling-disabled')!;
  assert.equal(f.location.file, path.join(KUBEADM, 'manifests', 'kube-scheduler.yaml'));
  assert.equal(f.location.line, 11, "the `- command:` line");
});

test('a wrong value points at its exact command[i] token and the fix replaces it', () => {
  const v = runCheck(check('apiserver-authorization-not-always-allow'), `
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command: [kube-apiserver, --secure-port=6443, --authorization-mode=AlwaysAllow]
`);
  assert.equal(v.length, 1);
  assert.deepEqual(v[0]!.path, ['spec', 'containers', 0, 'command', 2]);
  const profiling = runCheck(check('apiserver-profiling-disabled'), `
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command: [kube-apiserver, --profiling=true]
`);
  assert.deepEqual(profiling[0]!.fix, [{ op: 'replace', path: '/spec/containers/0/command/1', value: '--profiling=false' }]);
});

test('a saved kube-system Pod list with the flags in args and no command: identified by the component label', () => {
  const yaml = `
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: kube-scheduler-cp1, namespace: kube-system, labels: {component: kube-scheduler}}
  spec:
    containers:
    - name: kube-scheduler
      image: registry.k8s.io/kube-scheduler:v1.33.1
      args: [--profiling=false, --bind-address=0.0.0.0]
- apiVersion: v1
  kind: Pod
  metadata: {name: kube-scheduler-cp2, namespace: kube-system, labels: {component: kube-scheduler}}
  spec:
    containers:
    - name: kube-scheduler
      image: registry.k8s.io/kube-scheduler:v1.33.1
      args: [--profiling=false, --bind-address=127.0.0.1]
- apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: default, labels: {component: kube-scheduler-look-alike}}
  spec:
    containers: [{name: web, image: nginx:1.27, command: [nginx]}]
`;
  assert.deepEqual(runCheck(check('scheduler-profiling-disabled'), yaml), []);
  const bind = runCheck(check('scheduler-binds-loopback'), yaml);
  assert.equal(bind.length, 1);
  assert.equal(bind[0]!.object?.name, 'kube-scheduler-cp1');
  assert.deepEqual(bind[0]!.path, ['spec', 'containers', 0, 'args', 1]);
});

test('etcd settings from ETCD_* container variables are read when the flag is absent', () => {
  const v = runCheck(check('etcd-client-cert-auth'), `
apiVersion: v1
kind: Pod
metadata: {name: etcd-cp1, namespace: kube-system}
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.21-0
    command: [etcd]
    env:
    - {name: ETCD_CLIENT_CERT_AUTH, value: "false"}
`);
  assert.equal(v.length, 1);
  assert.deepEqual(v[0]!.path, ['spec', 'containers', 0, 'env', 0, 'value']);
});

test('a KubeletConfiguration key at fault is the finding path', () => {
  const v = runCheck(check('kubelet-read-only-port-disabled'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n');
  assert.deepEqual(v[0]!.path, ['readOnlyPort']);
});

test('node items are registered with every other check (checks list shows them)', () => {
  for (const c of cisNodeChecks) assert.ok(ALL_CHECKS.includes(c), c.id);
});
