import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subPathKubeletPatched as check } from '../../../src/checks/workload/subpath-kubelet-patched.js';
import { contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';

const node = (name: string, version: string) => `
apiVersion: v1
kind: Node
metadata: {name: ${name}}
status:
  nodeInfo: {kubeletVersion: ${version}}
---`;

const SUBPATH_POD = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: db
        image: postgres:16.2
        volumeMounts:
        - {name: data, mountPath: /var/lib/postgresql/data, subPath: pgdata}
---`;

test('passes on fixed kubelets, at each fixed boundary', () => {
  const v = runCheck(check, node('a', 'v1.19.15') + node('b', 'v1.20.11') + node('c', 'v1.21.5') + node('d', 'v1.22.2') + node('e', 'v1.31.4') + SUBPATH_POD);
  assert.deepEqual(v, []);
});

test('fails for each vulnerable kubelet when pods use subPath, noting vendor builds', () => {
  const v = runCheck(check, node('old', 'v1.18.20') + node('a', 'v1.21.4') + node('b', 'v1.22.1-gke.1300') + node('ok', 'v1.22.2') + SUBPATH_POD);
  assert.deepEqual(paths(v), ['status.nodeInfo.kubeletVersion', 'status.nodeInfo.kubeletVersion', 'status.nodeInfo.kubeletVersion']);
  assert.deepEqual(v.map((x) => x.object?.name), ['old', 'a', 'b']);
  assert.match(v[1]!.message, /^Node a runs kubelet v1.21.4, open to CVE-2021-25741, and the input has pods with subPath mounts \(StatefulSet shop\/db\)/);
  assert.doesNotMatch(v[1]!.message, /vendor build/);
  assert.match(v[2]!.message, /vendor build, which may carry a backported fix/);
});

test('skips without Node objects, and when no pod uses subPath', () => {
  const noNodes = inventoryFromYaml(SUBPATH_POD);
  assert.ok('skip' in check.evaluate(noNodes, contextFor(noNodes)));
  const noSubPath = inventoryFromYaml(node('a', 'v1.21.4'));
  const outcome = check.evaluate(noSubPath, contextFor(noSubPath));
  assert.ok('skip' in outcome && /no pod in the input uses volumeMounts/.test(outcome.skip));
});
