// A default kubeadm control-plane node (manifests, kubelet config and drop-in as kubeadm
// writes them; the file modes it leaves) gives what a CIS reviewer expects. Read from a
// --root folder, so components come from the static pod manifests and the kubelet from its
// systemd drop-in and config file.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { runNodeChecks } from '../../../src/engine/node-run.js';
import { collectNodeFacts } from '../../../src/sources/node/collect.js';
import { buildRoot } from './roots.js';

const root = buildRoot('control-plane', 'kubeadm');
after(() => rmSync(root, { recursive: true, force: true }));

/** Every item that does not pass on a default kubeadm control plane, and why. */
const EXPECTED: Record<string, [string, string]> = {
  '1.1.9': ['warn', 'the CNI plugin (here flannel) writes its conflist 644'],
  '1.1.12': ['fail', 'kubeadm runs etcd as root: /var/lib/etcd is root:root, the benchmark wants etcd:etcd'],
  '1.2.1': ['warn', '--anonymous-auth is not set: default true (kubeadm keeps it for health probes)'],
  '1.2.3': ['warn', 'DenyServiceExternalIPs is not enabled'],
  '1.2.5': ['fail', 'no --kubelet-certificate-authority: kubelets serve self-signed certificates by default'],
  '1.2.9': ['warn', 'EventRateLimit is not enabled'],
  '1.2.11': ['warn', 'AlwaysPullImages is not enabled'],
  '1.2.15': ['fail', '--profiling defaults to true'],
  '1.2.16': ['fail', 'no audit log'],
  '1.2.17': ['fail', 'no audit log retention'],
  '1.2.18': ['fail', 'no audit log backups'],
  '1.2.19': ['fail', 'no audit log rotation size'],
  '1.2.20': ['manual', 'request timeout is a judgement call'],
  '1.2.27': ['warn', 'no encryption at rest'],
  '1.2.28': ['warn', 'no encryption provider at all'],
  '1.2.29': ['warn', 'Go default cipher suites'],
  '1.2.30': ['fail', '--service-account-extend-token-expiration defaults to true'],
  '1.3.1': ['warn', '--terminated-pod-gc-threshold not set (12500)'],
  '1.3.2': ['fail', 'controller-manager --profiling defaults to true'],
  '1.4.1': ['fail', 'scheduler --profiling defaults to true'],
  '3.1.1': ['manual', 'kubeadm hands out admin.conf with a client certificate: review users'],
  '3.1.2': ['manual', 'review users'],
  '3.1.3': ['manual', 'review bootstrap tokens (--enable-bootstrap-token-auth=true)'],
  '3.2.1': ['warn', 'no audit policy'],
  '3.2.2': ['warn', 'no audit policy to review'],
  // Assumption: the 10-kubeadm.conf drop-in and /var/lib/kubelet/config.yaml are 0644 as the packages and kubeadm write them.
  '4.1.1': ['fail', 'the kubelet drop-in is 644'],
  '4.1.9': ['fail', 'the kubelet config file is 644'],
  '4.2.9': ['warn', 'no tlsCertFile and no serverTLSBootstrap: the kubelet self-signs'],
  '4.2.12': ['warn', 'Go default cipher suites'],
  '4.2.13': ['warn', 'podPidsLimit not set (-1)'],
  '4.2.14': ['warn', 'seccompDefault not set (false)'],
  '4.3.1': ['skip', 'kube-proxy is a DaemonSet; with --root no process is read'],
};

test('a default kubeadm control plane: exactly the items a CIS reviewer expects fail', async () => {
  const facts = collectNodeFacts({ root });
  assert.deepEqual(facts.errors, []);
  const result = await runNodeChecks(facts, cisNodeChecks, { type: 'node', root });
  const notPassing = Object.fromEntries(result.checks.filter((c) => c.status !== 'pass').map((c) => [c.controls[0]!.slice(4), c.status]));
  assert.deepEqual(notPassing, Object.fromEntries(Object.entries(EXPECTED).map(([id, [status]]) => [id, status])));
  // The CIS items and the kubelet config file's config-file-decodes (kubeadm's file decodes: it passes).
  assert.equal(result.checks.length, 98);
});

test('kubeadm\'s streamingConnectionIdleTimeout: 0s is the 4h default, not "disabled" (kube-bench fails it)', async () => {
  const facts = collectNodeFacts({ root });
  const outcome = cisNodeChecks.find((c) => c.cis.id === '4.2.5')!.evaluateNode(facts);
  assert.equal(outcome.status, 'pass');
  assert.match(outcome.evidence[0]!.source ?? '', /zero duration in the file takes the default 4h0m0s/);
});

test('the kubelet is read from its systemd drop-in and kubeadm-flags.env when its process is not visible', () => {
  const kubelet = collectNodeFacts({ root }).components.get('kubelet')![0]!;
  assert.equal(kubelet.origin.kind, 'config');
  assert.equal(kubelet.config?.path, '/var/lib/kubelet/config.yaml');
  assert.equal(kubelet.config?.how, '--config in the systemd unit');
  assert.equal(kubelet.cmd.flags.get('kubeconfig')?.[0]?.value, '/etc/kubernetes/kubelet.conf');
  assert.equal(kubelet.cmd.flags.get('container-runtime-endpoint')?.[0]?.value, 'unix:///var/run/containerd/containerd.sock');
});

test('flag findings from a static pod point at the manifest line and carry a JSON patch', async () => {
  const result = await runNodeChecks(collectNodeFacts({ root }), cisNodeChecks, { type: 'node', root });
  const profiling = result.findings.find((f) => f.check === 'apiserver-profiling-disabled')!;
  assert.equal(profiling.location.file, '/etc/kubernetes/manifests/kube-apiserver.yaml');
  assert.equal(profiling.location.path, 'spec.containers[0].command');
  assert.equal(profiling.location.line, 13);
  assert.deepEqual(profiling.fix, [{ op: 'add', path: '/spec/containers/0/command/-', value: '--profiling=false' }]);
  assert.deepEqual(profiling.resource, { apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: 'kube-apiserver' });
  const dropIn = result.findings.find((f) => f.check === 'kubelet-service-file-mode')!;
  assert.equal(dropIn.location.file, '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf');
  assert.match(dropIn.message, /has mode 644; make it 600/);
});
