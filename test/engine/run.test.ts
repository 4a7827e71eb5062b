import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChecks } from '../../src/engine/run.js';
import type { PodCheck } from '../../src/checks/types.js';
import { containerReadOnlyRootFilesystem } from '../../src/checks/workload/container-read-only-root-filesystem.js';
import { inventoryFromYaml } from '../helpers.js';

const TWO_PODS = `
apiVersion: v1
kind: Pod
metadata:
  name: writable
  namespace: app
  annotations:
    kubeharden.io/ignore: "container-read-only-root-filesystem: legacy app writes to /var/cache"
spec:
  containers: [{name: c, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: app}
spec:
  containers: [{name: c, image: nginx:1.27}]
`;

const target = { type: 'manifests' as const };

test('inline annotation exceptions mark the finding and keep it visible', () => {
  const { result } = runChecks(inventoryFromYaml(TWO_PODS), [containerReadOnlyRootFilesystem], target);
  assert.equal(result.findings.length, 2);
  const excepted = result.findings.find((f) => f.resource.name === 'writable');
  assert.deepEqual(excepted?.exception?.reason, 'legacy app writes to /var/cache');
  assert.equal(result.summary.excepted, 1);
  assert.equal(result.summary.findings.low, 1);
  assert.deepEqual(result.checks[0], {
    id: 'container-read-only-root-filesystem', title: containerReadOnlyRootFilesystem.title, severity: 'low',
    category: 'workload', status: 'fail', controls: ['nsa:P3', 'cis:5.6.3'], passed: 1, failed: 1,
  });
});

test('config exceptions apply by selector until they expire, then are reported as expired', () => {
  const exceptions = [{ check: '*', resource: { namespace: 'app', name: 'oth*' }, reason: 'accepted risk', expires: '2026-06-30', source: 'cfg exceptions[0]' }];
  const before = runChecks(inventoryFromYaml(TWO_PODS), [containerReadOnlyRootFilesystem], target, { exceptions, now: new Date('2026-06-30T22:00:00Z') });
  assert.equal(before.result.findings.find((f) => f.resource.name === 'other')?.exception?.reason, 'accepted risk');
  assert.equal(before.result.checks[0]!.status, 'pass');
  assert.match(before.result.checks[0]!.reason ?? '', /2 finding\(s\) covered by exceptions/);

  const afterExpiry = runChecks(inventoryFromYaml(TWO_PODS), [containerReadOnlyRootFilesystem], target, { exceptions, now: new Date('2026-07-01T00:00:01Z') });
  assert.equal(afterExpiry.result.findings.find((f) => f.resource.name === 'other')?.exception, undefined);
  assert.equal(afterExpiry.result.checks[0]!.status, 'fail');
  assert.deepEqual(afterExpiry.result.errors.map((e) => [e.level, e.source]), [['warning', 'cfg exceptions[0]']]);
  assert.match(afterExpiry.result.errors[0]!.message, /expired on 2026-06-30/);
});

test('an inline annotation without a reason is not honoured', () => {
  const yaml = TWO_PODS.replace('container-read-only-root-filesystem: legacy app writes to /var/cache', 'container-read-only-root-filesystem');
  const { result } = runChecks(inventoryFromYaml(yaml), [containerReadOnlyRootFilesystem], target);
  assert.equal(result.summary.excepted, 0);
});

test('a check with nothing to look at is skipped with a reason, never passed', () => {
  const { result } = runChecks(inventoryFromYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'), [containerReadOnlyRootFilesystem], target);
  assert.equal(result.checks[0]!.status, 'skip');
  assert.match(result.checks[0]!.reason!, /nothing to check/);
});

test('disabled checks, severity overrides, and frameworks', () => {
  const inv = inventoryFromYaml(TWO_PODS);
  const disabled = runChecks(inv, [containerReadOnlyRootFilesystem], target, { disabled: ['container-read-only-root-filesystem'] });
  assert.deepEqual([disabled.result.checks[0]!.status, disabled.result.findings.length], ['skip', 0]);
  const raised = runChecks(inv, [containerReadOnlyRootFilesystem], target, { severityOverrides: { 'container-read-only-root-filesystem': 'high' } });
  assert.equal(raised.result.summary.findings.high, 1);
  const pssOnly = runChecks(inv, [containerReadOnlyRootFilesystem], target, { frameworks: ['pss'] });
  assert.equal(pssOnly.result.checks.length, 0);
  assert.deepEqual(runChecks(inv, [containerReadOnlyRootFilesystem], target).result.summary.frameworks.nsa, { pass: 0, fail: 1, manual: 0, score: 0 });
});

test('a crashing check is an error status, and the other checks still run', () => {
  const crashing: PodCheck = { ...containerReadOnlyRootFilesystem, id: 'crashes', evaluate: () => { throw new Error('boom'); } };
  const { result } = runChecks(inventoryFromYaml(TWO_PODS), [crashing, containerReadOnlyRootFilesystem], target);
  assert.deepEqual(result.checks.map((c) => c.status), ['error', 'fail']);
  assert.match(result.checks[0]!.reason!, /boom/);
});

test('fingerprints are stable across reformatting and differ by path', () => {
  const a = runChecks(inventoryFromYaml(TWO_PODS), [containerReadOnlyRootFilesystem], target).result.findings;
  const reformatted = TWO_PODS.replace('containers: [{name: c, image: nginx:1.27}]\n---', 'containers:\n  - name: c\n    image: "nginx:1.27"\n---');
  const b = runChecks(inventoryFromYaml('# moved\n\n' + reformatted), [containerReadOnlyRootFilesystem], target).result.findings;
  assert.deepEqual(a.map((f) => f.fingerprint), b.map((f) => f.fingerprint));
  assert.notEqual(a[0]!.fingerprint, a[1]!.fingerprint);
});

test('a check subsumed at restricted stays quiet there, but runs at baseline or when its subsumer is off', async () => {
  const { containerDropsNetRaw } = await import('../../src/checks/workload/container-drops-net-raw.js');
  const { pssChecks } = await import('../../src/checks/pod-security/index.js');
  const dropAll = pssChecks.find((c) => c.id === 'container-drops-all-capabilities')!;
  const inv = inventoryFromYaml(TWO_PODS);
  const statusOf = (opts: Parameters<typeof runChecks>[3]) =>
    runChecks(inv, [dropAll, containerDropsNetRaw], target, opts).result.checks.find((c) => c.id === 'container-drops-net-raw')!;
  const restricted = statusOf({});
  assert.equal(restricted.status, 'skip');
  assert.match(restricted.reason!, /container-drops-all-capabilities reports everything/);
  assert.equal(statusOf({ settings: { pssLevel: 'baseline' } }).status, 'fail');
  assert.equal(statusOf({ disabled: ['container-drops-all-capabilities'] }).status, 'fail');
});

test('an object with several pod templates counts once, and a finding on the object itself is not repeated per template', async () => {
  const { workloadNotInReservedNamespace } = await import('../../src/checks/workload/workload-not-in-reserved-namespace.js');
  const inventory = inventoryFromYaml(`
apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata: {name: train, namespace: kube-public}
spec:
  replicatedJobs:
  - name: a
    template: {spec: {template: {spec: {containers: [{name: c, image: i:1}]}}}}
  - name: b
    template: {spec: {template: {spec: {containers: [{name: c, image: i:1, securityContext: {readOnlyRootFilesystem: true}}]}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: app}
spec:
  containers: [{name: c, image: i:1, securityContext: {readOnlyRootFilesystem: true}}]
`);
  const { result } = runChecks(inventory, [workloadNotInReservedNamespace, containerReadOnlyRootFilesystem], target);
  assert.deepEqual(result.findings.map((f) => `${f.check} ${f.location.path}`), [
    'workload-not-in-reserved-namespace metadata.namespace',
    'container-read-only-root-filesystem spec.replicatedJobs[0].template.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
  ]);
  assert.deepEqual(result.checks.map((c) => [c.id, c.passed, c.failed]), [
    ['workload-not-in-reserved-namespace', 1, 1],
    ['container-read-only-root-filesystem', 1, 1],
  ]);
});
