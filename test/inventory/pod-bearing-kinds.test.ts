// Pod templates inside custom resources: which kinds carry them, exactly where, what an object
// with several templates yields, and what a wrong shape is reported as.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, inventoryFromYaml } from '../helpers.js';
import { formatPath } from '../../src/inventory/model.js';
import { isPodBearing } from '../../src/inventory/pod-specs.js';
import { kubeRayCheckName } from '../../src/inventory/pod-bearing-kinds.js';
import { CLUSTER_RESOURCES, apiVersionOf } from '../../src/sources/cluster/resources.js';

const fixture = (name: string) => readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'custom-resources', name), 'utf8');

function templates(text: string) {
  const inv = inventoryFromYaml(text);
  return { inv, found: inv.pods.map((p) => [`${p.object.kind}/${p.object.name}`, p.part ?? '-', formatPath(p.specPath)]) };
}

test('every template of KubeRay resources, each named by its part', () => {
  const { inv, found } = templates(fixture('ray.yaml'));
  assert.deepEqual(found, [
    ['RayCluster/analytics', 'headGroupSpec', 'spec.headGroupSpec.template.spec'],
    ['RayCluster/analytics', 'workerGroupSpecs[0]', 'spec.workerGroupSpecs[0].template.spec'],
    ['RayCluster/analytics', 'workerGroupSpecs[1]', 'spec.workerGroupSpecs[1].template.spec'],
    ['RayJob/nightly-report', 'rayClusterSpec.headGroupSpec', 'spec.rayClusterSpec.headGroupSpec.template.spec'],
    ['RayJob/nightly-report', 'rayClusterSpec.workerGroupSpecs[0]', 'spec.rayClusterSpec.workerGroupSpecs[0].template.spec'],
    ['RayJob/nightly-report', 'submitterPodTemplate', 'spec.submitterPodTemplate.spec'],
    ['RayService/chat', 'rayClusterConfig.headGroupSpec', 'spec.rayClusterConfig.headGroupSpec.template.spec'],
    ['RayService/chat', 'rayClusterConfig.workerGroupSpecs[0]', 'spec.rayClusterConfig.workerGroupSpecs[0].template.spec'],
  ]);
  assert.deepEqual(inv.pods[2]!.meta, { labels: { app: 'analytics', role: 'gpu-worker' } });
  assert.deepEqual(inv.pods[2]!.metaPath, ['spec', 'workerGroupSpecs', 1, 'template', 'metadata']);
  assert.deepEqual(inv.problems, []);
});

test('JobSet, Kubeflow jobs and Argo Rollouts', () => {
  assert.deepEqual(templates(fixture('jobset.yaml')).found, [
    ['JobSet/train', 'replicatedJobs[0]', 'spec.replicatedJobs[0].template.spec.template.spec'],
    ['JobSet/train', 'replicatedJobs[1]', 'spec.replicatedJobs[1].template.spec.template.spec'],
  ]);
  assert.deepEqual(templates(fixture('kubeflow.yaml')).found, [
    ['MPIJob/hpl', 'mpiReplicaSpecs.Launcher', 'spec.mpiReplicaSpecs.Launcher.template.spec'],
    ['MPIJob/hpl', 'mpiReplicaSpecs.Worker', 'spec.mpiReplicaSpecs.Worker.template.spec'],
    ['PyTorchJob/resnet', 'pytorchReplicaSpecs.Master', 'spec.pytorchReplicaSpecs.Master.template.spec'],
    ['PyTorchJob/resnet', 'pytorchReplicaSpecs.Worker', 'spec.pytorchReplicaSpecs.Worker.template.spec'],
    ['MPIJob/legacy-hpl', 'mpiReplicaSpecs.Launcher', 'spec.mpiReplicaSpecs.Launcher.template.spec'],
    ['MPIJob/legacy-hpl', 'mpiReplicaSpecs.Worker', 'spec.mpiReplicaSpecs.Worker.template.spec'],
  ]);
  // One template: no part, like a Deployment.
  assert.deepEqual(templates(fixture('rollout.yaml')).found, [
    ['Rollout/storefront', '-', 'spec.template.spec'],
    ['Rollout/checkout', '-', 'spec.template.spec'],
  ]);
});

test('the other training operator kinds, each under its own field', () => {
  for (const [kind, field] of [['TFJob', 'tfReplicaSpecs'], ['XGBoostJob', 'xgbReplicaSpecs'], ['PaddleJob', 'paddleReplicaSpecs'], ['JAXJob', 'jaxReplicaSpecs'], ['MXJob', 'mxReplicaSpecs']]) {
    const text = `apiVersion: kubeflow.org/v1\nkind: ${kind}\nmetadata: {name: j}\nspec:\n  ${field}:\n    Worker:\n      template:\n        spec:\n          containers: [{name: c, image: i}]\n  otherReplicaSpecs:\n    Worker:\n      template:\n        spec:\n          containers: [{name: c, image: i}]\n`;
    assert.deepEqual(templates(text).found, [[`${kind}/j`, `${field}.Worker`, `spec.${field}.Worker.template.spec`]], kind);
  }
});

test('kind, API group and version must all match: look-alikes, Knative Services and Argo Workflows are not pod specs', () => {
  const { inv, found } = templates(fixture('not-pod-bearing.yaml'));
  assert.deepEqual(found, []);
  assert.deepEqual(inv.problems, []);
  // A kind that names a property of every JavaScript object is just an unknown kind.
  assert.deepEqual(templates('apiVersion: v1\nkind: constructor\nmetadata: {name: x}\nspec: {template: {spec: {containers: []}}}\n').found, []);
  assert.deepEqual(templates('apiVersion: kubeflow.org/v2beta1\nkind: PyTorchJob\nmetadata: {name: x}\nspec: {pytorchReplicaSpecs: {Worker: {template: {spec: {containers: []}}}}}\n').found, []);
});

test('missing parts are simply absent; a template without a spec is skipped', () => {
  const { inv, found } = templates(
    'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: r}\nspec:\n  headGroupSpec:\n    template:\n      spec:\n        containers: [{name: head, image: i}]\n' +
      '---\napiVersion: ray.io/v1\nkind: RayJob\nmetadata: {name: j}\nspec:\n  clusterSelector: {ray.io/cluster: r}\n' +
      '---\napiVersion: kubeflow.org/v2beta1\nkind: MPIJob\nmetadata: {name: m}\nspec:\n  mpiReplicaSpecs:\n    Launcher: null\n    Worker: {replicas: 1}\n' +
      '---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: ro}\nspec:\n  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n',
  );
  assert.deepEqual(found, [['RayCluster/r', 'headGroupSpec', 'spec.headGroupSpec.template.spec']]);
  assert.deepEqual(inv.problems, []);
});

test('wrong shapes are input problems naming the field; the object\'s other templates are still checked', () => {
  const { inv, found } = templates(
    'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: r, namespace: ml}\nspec:\n  headGroupSpec:\n    template:\n      spec:\n        containers: [{name: head, image: i}]\n  workerGroupSpecs: x\n' +
      '---\napiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: s, namespace: ml}\nspec:\n  headGroupSpec: [1]\n  workerGroupSpecs:\n  - "gpu"\n  - template:\n      spec:\n        containers: nginx\n  - template:\n      spec:\n        containers: [{name: ok, image: i}]\n' +
      '---\napiVersion: jobset.x-k8s.io/v1alpha2\nkind: JobSet\nmetadata: {name: js, namespace: ml}\nspec:\n  replicatedJobs:\n  - name: a\n    template:\n      spec:\n        template: []\n' +
      '---\napiVersion: kubeflow.org/v2beta1\nkind: MPIJob\nmetadata: {name: m, namespace: ml}\nspec:\n  mpiReplicaSpecs: [Launcher]\n' +
      '---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: ro, namespace: ml}\nspec:\n  template:\n    spec:\n      hostNetwork: "yes please"\n      containers: [{name: c, image: i}]\n',
  );
  assert.deepEqual(found, [
    ['RayCluster/r', 'headGroupSpec', 'spec.headGroupSpec.template.spec'],
    ['RayCluster/s', 'workerGroupSpecs[2]', 'spec.workerGroupSpecs[2].template.spec'],
  ]);
  assert.deepEqual(
    inv.problems.map((p) => [p.line, p.message]),
    [
      [1, 'RayCluster ml/r: spec.workerGroupSpecs must be a list, got a string; its pod checks were not run on spec.workerGroupSpecs'],
      [11, 'RayCluster ml/s: spec.headGroupSpec must be a mapping, got a list; its pod checks were not run on spec.headGroupSpec'],
      [11, 'RayCluster ml/s: spec.workerGroupSpecs[0] must be a mapping, got a string; its pod checks were not run on spec.workerGroupSpecs[0]'],
      [11, 'RayCluster ml/s: spec.workerGroupSpecs[1].template.spec.containers must be a list of containers, got a string; its pod checks were not run on spec.workerGroupSpecs[1]'],
      [25, 'JobSet ml/js: spec.replicatedJobs[0].template.spec.template must be a mapping, got a list; its pod checks were not run on spec.replicatedJobs[0]'],
      [35, 'MPIJob ml/m: spec.mpiReplicaSpecs must be a mapping, got a list; its pod checks were not run on spec.mpiReplicaSpecs'],
      [41, 'Rollout ml/ro: spec.template.spec.hostNetwork must be a boolean, got a string "yes please"; its pod checks were not run'],
    ],
  );
  assert.ok(inv.problems.every((p) => p.level === 'error'));
});

test('operators that name the pods\' ServiceAccount: KubeRay with in-tree autoscaling, the training operator\'s v1 MPI launcher', () => {
  const sa = (text: string) => inventoryFromYaml(text).pods.map((p) => [p.part, p.operatorServiceAccount?.name ?? (p.operatorServiceAccount ? '(generated)' : '-')]);
  const ray = (kind: string, name: string, prefix: string, autoscale: string, headSa = '') =>
    `apiVersion: ray.io/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec:\n  ${prefix}:\n    ${autoscale}\n    headGroupSpec:\n      template:\n        spec:\n          ${headSa}\n          containers: [{name: head, image: i}]\n    workerGroupSpecs:\n    - template:\n        spec:\n          containers: [{name: w, image: i}]\n`;
  const cluster = (name: string, autoscale: string, headSa = '') =>
    `apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: ${JSON.stringify(name)}}\nspec:\n  ${autoscale}\n  headGroupSpec:\n    template:\n      spec:\n        ${headSa}\n        containers: [{name: head, image: i}]\n  workerGroupSpecs:\n  - template:\n      spec:\n        containers: [{name: w, image: i}]\n`;
  assert.deepEqual(sa(cluster('etl', 'enableInTreeAutoscaling: true')), [['headGroupSpec', 'etl'], ['workerGroupSpecs[0]', '-']]);
  assert.deepEqual(sa(cluster('etl', 'enableInTreeAutoscaling: false')), [['headGroupSpec', '-'], ['workerGroupSpecs[0]', '-']]);
  // The template's own ServiceAccount is the one KubeRay uses.
  assert.deepEqual(sa(cluster('etl', 'enableInTreeAutoscaling: true', 'serviceAccountName: etl-head')), [['headGroupSpec', '-'], ['workerGroupSpecs[0]', '-']]);
  // KubeRay clips the name to its last 50 characters and replaces a leading digit.
  assert.deepEqual(sa(cluster('1' + 'a'.repeat(9), 'enableInTreeAutoscaling: true'))[0], ['headGroupSpec', 'r' + 'a'.repeat(9)]);
  assert.equal(kubeRayCheckName('x'.repeat(10) + '-' + 'b'.repeat(49)), 'r' + 'b'.repeat(49));
  // A RayJob's or RayService's cluster gets a generated name, and so does the account.
  assert.deepEqual(sa(ray('RayJob', 'job', 'rayClusterSpec', 'enableInTreeAutoscaling: true')), [['rayClusterSpec.headGroupSpec', '(generated)'], ['rayClusterSpec.workerGroupSpecs[0]', '-']]);
  assert.deepEqual(sa(ray('RayService', 'svc', 'rayClusterConfig', 'enableInTreeAutoscaling: true')), [['rayClusterConfig.headGroupSpec', '(generated)'], ['rayClusterConfig.workerGroupSpecs[0]', '-']]);
  // The training operator's v1 MPIJob launcher runs as "<name>-launcher"; the MPI operator's v2beta1 sets none.
  assert.deepEqual(sa(fixture('kubeflow.yaml')), [
    ['mpiReplicaSpecs.Launcher', '-'],
    ['mpiReplicaSpecs.Worker', '-'],
    ['pytorchReplicaSpecs.Master', '-'],
    ['pytorchReplicaSpecs.Worker', '-'],
    ['mpiReplicaSpecs.Launcher', 'legacy-hpl-launcher'],
    ['mpiReplicaSpecs.Worker', '-'],
  ]);
});

test('the live-cluster source still treats exactly the built-in controllers as owners of what it lists', () => {
  const controllers = CLUSTER_RESOURCES.filter((r) => isPodBearing({ kind: r.kind, group: r.group, apiVersion: apiVersionOf(r) })).map((r) => r.kind);
  assert.deepEqual(controllers.sort(), ['CronJob', 'DaemonSet', 'Deployment', 'Job', 'Pod', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);
  assert.equal(isPodBearing({ kind: 'JobSet', group: 'jobset.x-k8s.io', apiVersion: 'jobset.x-k8s.io/v1alpha2' }), true);
  assert.equal(isPodBearing({ kind: 'Service', group: 'serving.knative.dev', apiVersion: 'serving.knative.dev/v1' }), false);
  assert.equal(isPodBearing({ kind: 'Service', group: '', apiVersion: 'v1' }), false);
});
