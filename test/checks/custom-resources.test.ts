// The pod checks on custom resources, end to end: each kind has a hardened template that passes
// and a failing one whose findings point at the field, with its line, in the right template.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { scanManifests } from '../../src/engine/scan.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import type { Result } from '../../src/result/result.js';
import { REPO_ROOT } from '../helpers.js';

const PSS_CHECKS = new Set(ALL_CHECKS.filter((c) => c.pss).map((c) => c.id));
const fixture = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', 'custom-resources', name);

/** Pod Security Standards findings as [resource, check, line, path], by line. */
function pssFindings(result: Result): [string, string, number | undefined, string][] {
  return result.findings
    .filter((f) => PSS_CHECKS.has(f.check))
    .map((f): [string, string, number | undefined, string] => [`${f.resource.kind}/${f.resource.name}`, f.check, f.location.line, f.location.path])
    .sort((a, b) => (a[2] ?? 0) - (b[2] ?? 0) || a[1].localeCompare(b[1]));
}

/** The restricted container checks a container without any securityContext setting fails, at its line. */
function unhardened(resource: string, line: number, container: string): [string, string, number, string][] {
  return [
    [resource, 'container-disallows-privilege-escalation', line, `${container}.securityContext.allowPrivilegeEscalation`],
    [resource, 'container-drops-all-capabilities', line, `${container}.securityContext.capabilities.drop`],
    [resource, 'container-runs-as-non-root', line, `${container}.securityContext.runAsNonRoot`],
    [resource, 'pod-seccomp-profile-set', line, `${container}.securityContext.seccompProfile.type`],
  ];
}

test('KubeRay: only the privileged worker group, the host-network submitter and the bare RayService head fail', async () => {
  const result = await scanManifests([fixture('ray.yaml')]);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(pssFindings(result), [
    ...unhardened('RayCluster/analytics', 57, 'spec.workerGroupSpecs[1].template.spec.containers[0]'),
    ['RayCluster/analytics', 'container-not-privileged', 58, 'spec.workerGroupSpecs[1].template.spec.containers[0].securityContext.privileged'],
    ['RayJob/nightly-report', 'pod-no-host-namespaces', 97, 'spec.submitterPodTemplate.spec.hostNetwork'],
    ...unhardened('RayService/chat', 124, 'spec.rayClusterConfig.headGroupSpec.template.spec.containers[0]'),
  ]);
  // An object with several templates counts once: it fails when one of them does.
  const privileged = result.checks.find((c) => c.id === 'container-not-privileged')!;
  assert.deepEqual([privileged.status, privileged.passed, privileged.failed], ['fail', 2, 1]);
  const hostNamespaces = result.checks.find((c) => c.id === 'pod-no-host-namespaces')!;
  assert.deepEqual([hostNamespaces.passed, hostNamespaces.failed], [2, 1]);
});

test('KubeRay runs the autoscaling head under an account of its own: no ServiceAccount findings for it, its workers still get them', async () => {
  const result = await scanManifests([fixture('ray.yaml')]);
  const accounts = result.findings
    .filter((f) => f.resource.name === 'chat' && (f.check === 'pod-uses-dedicated-service-account' || f.check === 'pod-service-account-token-not-automounted'))
    .map((f) => `${f.check} ${f.location.path}`);
  assert.deepEqual(accounts.sort(), [
    'pod-service-account-token-not-automounted spec.rayClusterConfig.workerGroupSpecs[0].template.spec.automountServiceAccountToken',
    'pod-uses-dedicated-service-account spec.rayClusterConfig.workerGroupSpecs[0].template.spec.serviceAccountName',
  ]);
});

test('JobSet: the privileged host-network replicated job fails, the hardened driver passes', async () => {
  const result = await scanManifests([fixture('jobset.yaml')]);
  assert.deepEqual(pssFindings(result), [
    ['JobSet/train', 'pod-no-host-namespaces', 33, 'spec.replicatedJobs[1].template.spec.template.spec.hostNetwork'],
    ...unhardened('JobSet/train', 38, 'spec.replicatedJobs[1].template.spec.template.spec.containers[0]'),
    ['JobSet/train', 'container-not-privileged', 39, 'spec.replicatedJobs[1].template.spec.template.spec.containers[0].securityContext.privileged'],
  ]);
});

test('Kubeflow: MPIJob (v2beta1 and v1) and PyTorchJob replicas, each template on its own', async () => {
  const result = await scanManifests([fixture('kubeflow.yaml')]);
  assert.deepEqual(pssFindings(result), [
    ['MPIJob/hpl', 'pod-no-host-namespaces', 29, 'spec.mpiReplicaSpecs.Worker.template.spec.hostPID'],
    ...unhardened('MPIJob/hpl', 33, 'spec.mpiReplicaSpecs.Worker.template.spec.containers[0]'),
    ['MPIJob/hpl', 'container-not-privileged', 34, 'spec.mpiReplicaSpecs.Worker.template.spec.containers[0].securityContext.privileged'],
    ...unhardened('PyTorchJob/resnet', 63, 'spec.pytorchReplicaSpecs.Worker.template.spec.containers[0]'),
    ['PyTorchJob/resnet', 'container-not-privileged', 64, 'spec.pytorchReplicaSpecs.Worker.template.spec.containers[0].securityContext.privileged'],
    ...unhardened('MPIJob/legacy-hpl', 77, 'spec.mpiReplicaSpecs.Launcher.template.spec.containers[0]'),
    ...unhardened('MPIJob/legacy-hpl', 84, 'spec.mpiReplicaSpecs.Worker.template.spec.containers[0]'),
  ]);
  // The same check on two templates of one object: two findings, two fingerprints.
  const nonRoot = result.findings.filter((f) => f.resource.name === 'legacy-hpl' && f.check === 'container-runs-as-non-root');
  assert.equal(nonRoot.length, 2);
  assert.notEqual(nonRoot[0]!.fingerprint, nonRoot[1]!.fingerprint);
  // The training operator gives the v1 launcher "legacy-hpl-launcher" and uses its token; the worker runs as "default".
  const accounts = result.findings.filter((f) => f.resource.name === 'legacy-hpl' && f.check.includes('service-account')).map((f) => f.location.path);
  assert.deepEqual(accounts.sort(), [
    'spec.mpiReplicaSpecs.Worker.template.spec.automountServiceAccountToken',
    'spec.mpiReplicaSpecs.Worker.template.spec.serviceAccountName',
  ]);
});

test('Argo Rollouts: the getting-started canary fails restricted, the hardened one passes', async () => {
  const result = await scanManifests([fixture('rollout.yaml')]);
  assert.deepEqual(pssFindings(result), unhardened('Rollout/storefront', 27, 'spec.template.spec.containers[0]'));
  const baseline = await scanManifests([fixture('rollout.yaml')], { settings: { pssLevel: 'baseline' } });
  assert.deepEqual(pssFindings(baseline), []);
});

test('Knative Services, Argo Workflows and look-alike kinds are not judged as pods', async () => {
  const result = await scanManifests([fixture('not-pod-bearing.yaml')]);
  assert.deepEqual(pssFindings(result), []);
  assert.deepEqual(result.errors, []);
  assert.equal(result.checks.find((c) => c.id === 'container-not-privileged')!.status, 'skip');
});

test('LeaderWorkerSet: the leader and worker templates are checked apart; a set with only a worker template has one', async () => {
  const result = await scanManifests([fixture('leaderworkerset.yaml')]);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(pssFindings(result), [
    ['LeaderWorkerSet/inference', 'container-drops-all-capabilities', 35, 'spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].securityContext.capabilities.add[0]'],
    ['LeaderWorkerSet/batch', 'pod-no-host-namespaces', 46, 'spec.leaderWorkerTemplate.workerTemplate.spec.hostIPC'],
  ]);
  const hostNamespaces = result.checks.find((c) => c.id === 'pod-no-host-namespaces')!;
  assert.deepEqual([hostNamespaces.passed, hostNamespaces.failed], [1, 1], 'each set counts once');
});
