// A node audit under --root without --proc reads no process. Kubelet items that pass from the
// config file alone warn, naming the flag that could override, unless the systemd unit shows the
// kubelet's flags; the target says processes were not read and how to give them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { collectNodeFacts } from '../../../src/sources/node/collect.js';
import { buildRoot } from './roots.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const check = (id: string) => cisNodeChecks.find((c) => c.id === id)!;

test('a kubelet known only from its config file: a pass from the file warns with the overriding flag', () => {
  const root = buildRoot('worker', 'hardened');
  roots.push(root);
  rmSync(path.join(root, 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf'));
  const facts = collectNodeFacts({ root });
  const anonymous = check('kubelet-anonymous-auth-disabled').evaluateNode(facts);
  assert.equal(anonymous.status, 'warn', anonymous.reason);
  assert.match(anonymous.reason, /passes from kubelet config file .*command line is unknown: processes are not read with --root \(give --proc DIR.*--anonymous-auth there would override it/);
});

test('with the systemd unit showing the flags, the same items pass', () => {
  const root = buildRoot('worker', 'hardened');
  roots.push(root);
  const facts = collectNodeFacts({ root });
  assert.equal(check('kubelet-anonymous-auth-disabled').evaluateNode(facts).status, 'pass');
});

test('a failing setting in the config file still fails without the command line', () => {
  const root = buildRoot('worker', 'hardened');
  roots.push(root);
  rmSync(path.join(root, 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf'));
  writeFileSync(path.join(root, 'var/lib/kubelet/config.yaml'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: {anonymous: {enabled: true}}\n');
  const outcome = check('kubelet-anonymous-auth-disabled').evaluateNode(collectNodeFacts({ root }));
  assert.equal(outcome.status, 'fail');
  assert.doesNotMatch(outcome.reason, /command line is unknown/);
});
