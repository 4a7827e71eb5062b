// The engines that read every pod template (NetworkPolicy workloads, the Pod Security preview,
// RBAC's workloads) name each template of an object with several, so none is mistaken for another.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryFromYaml } from '../helpers.js';
import { NetpolModel } from '../../src/analysis/netpol/model.js';
import { resolveEndpoint } from '../../src/analysis/netpol/reach.js';
import { namespaceReports, previewLevel } from '../../src/queries/psa-preview.js';
import { EscalationGraph } from '../../src/analysis/rbac/escalation.js';
import { RbacEngine } from '../../src/analysis/rbac/engine.js';

const TEXT = `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: etl, namespace: ml}
spec:
  headGroupSpec:
    template:
      metadata: {labels: {ray: head}}
      spec:
        containers: [{name: head, image: i, ports: [{containerPort: 6379, name: gcs}]}]
  workerGroupSpecs:
  - template:
      metadata: {labels: {ray: worker}}
      spec:
        serviceAccountName: etl-worker
        hostPID: true
        containers: [{name: worker, image: i}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: etl-worker, namespace: ml}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ml}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: i}]
`;

test('NetworkPolicy workloads: one per template, with its labels, named NAMESPACE/NAME#PART', () => {
  const model = new NetpolModel(inventoryFromYaml(TEXT));
  assert.deepEqual(model.workloads.map((w) => [w.id, w.labels]), [
    ['ml/etl#headGroupSpec', { ray: 'head' }],
    ['ml/etl#workerGroupSpecs[0]', { ray: 'worker' }],
    ['ml/web', { app: 'web' }],
  ]);
  assert.deepEqual(model.findWorkloads('ml/etl#workerGroupSpecs[0]').map((w) => w.labels), [{ ray: 'worker' }]);
  assert.deepEqual(model.findWorkloads('ml/RayCluster/etl#headGroupSpec').map((w) => w.ports.map((p) => p.port)), [[6379]]);
  assert.equal(model.findWorkloads('ml/etl').length, 2);
  const ambiguous = resolveEndpoint(model, 'ml/etl');
  assert.deepEqual(ambiguous, { error: '"ml/etl" is ambiguous: ml/RayCluster/etl#headGroupSpec, ml/RayCluster/etl#workerGroupSpecs[0]' });
  assert.ok('endpoint' in resolveEndpoint(model, 'ml/etl#headGroupSpec'));
});

test('the Pod Security preview names the template a level would reject, and counts objects as workloads', () => {
  const inventory = inventoryFromYaml(TEXT);
  assert.deepEqual(previewLevel(inventory, inventory.pods, 'baseline').map((r) => [r.workload, r.rejects, r.reasons.map((x) => x.check)]), [
    ['RayCluster ml/etl (workerGroupSpecs[0])', 'the pods it creates', ['pod-no-host-namespaces']],
  ]);
  assert.deepEqual(namespaceReports(inventory, { previewLevel: 'baseline' }).map((r) => [r.namespace, r.workloads, r.rejections.length]), [['ml', 2, 1]]);
});

test('RBAC workloads: each template with its own ServiceAccount', () => {
  const inventory = inventoryFromYaml(TEXT);
  const graph = new EscalationGraph(RbacEngine.fromInventory(inventory), inventory);
  assert.deepEqual(graph.workloads(inventory).map((w) => [w.workload, w.serviceAccount]), [
    ['RayCluster ml/etl (headGroupSpec)', 'default'],
    ['RayCluster ml/etl (workerGroupSpecs[0])', 'etl-worker'],
    ['Deployment ml/web', 'default'],
  ]);
});

test('RBAC workloads: a KubeRay head under the account KubeRay names after the cluster', () => {
  const autoscaled = TEXT.replace('spec:\n  headGroupSpec:', 'spec:\n  enableInTreeAutoscaling: true\n  headGroupSpec:');
  const inventory = inventoryFromYaml(autoscaled);
  const graph = new EscalationGraph(RbacEngine.fromInventory(inventory), inventory);
  assert.deepEqual(graph.workloads(inventory).map((w) => w.serviceAccount), ['etl', 'etl-worker', 'default']);
  // A RayJob's cluster, and so its head's account, gets a generated name: not followed.
  const job = inventoryFromYaml(
    'apiVersion: ray.io/v1\nkind: RayJob\nmetadata: {name: j, namespace: ml}\nspec:\n  rayClusterSpec:\n    enableInTreeAutoscaling: true\n    headGroupSpec:\n      template:\n        spec:\n          containers: [{name: head, image: i}]\n',
  );
  assert.deepEqual(new EscalationGraph(RbacEngine.fromInventory(job), job).workloads(job), []);
});
