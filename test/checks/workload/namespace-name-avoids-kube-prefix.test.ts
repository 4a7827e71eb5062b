import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceNameAvoidsKubePrefix as check } from '../../../src/checks/workload/namespace-name-avoids-kube-prefix.js';
import { paths, runCheck } from '../../helpers.js';

test('passes for ordinary names and for the namespaces Kubernetes owns', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Namespace
metadata: {name: kubeflow}
`);
  assert.deepEqual(v, []);
});

test('fails for other kube- names', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Namespace
metadata: {name: kube-monitoring}
`);
  assert.deepEqual(paths(v), ['metadata.name']);
  assert.match(v[0]!.message, /^Namespace kube-monitoring uses the kube- prefix/);
});
