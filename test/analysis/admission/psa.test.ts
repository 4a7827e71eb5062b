// Namespace Pod Security policy, the preview of what a level rejects, and the proposed labels —
// with TEST-DOUBLE PSS checks (fake-pss-checks.ts); the real checks live on another branch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespacePolicy } from '../../../src/analysis/admission/psa.js';
import { checksForLevel, namespaceReports, previewLevel, proposePsaLabels } from '../../../src/queries/psa-preview.js';
import { previewText } from '../../../src/cli/commands/psa.js';
import { psaLabelsYaml } from '../../../src/cli/commands/generate-psa-labels.js';
import { inventoryFromYaml } from '../../helpers.js';
import { FAKE_PSS_CHECKS } from './fake-pss-checks.js';

test('namespace policy: labels over the cluster defaults, per mode', () => {
  const p = namespacePolicy('shop', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn-version': 'v1.30' }, {
    defaults: { enforce: { level: 'privileged', version: 'latest' }, audit: { level: 'restricted', version: 'v1.29' }, warn: { level: 'restricted', version: 'latest' } },
    exemptions: { namespaces: [], usernames: [], runtimeClasses: [] },
  });
  assert.deepEqual(p.modes, {
    enforce: { level: 'baseline', version: 'latest', from: 'label' },
    audit: { level: 'restricted', version: 'v1.29', from: 'default' },
    warn: { level: 'restricted', version: 'v1.30', from: 'label' },
  });
  assert.deepEqual(p.problems, []);
  assert.equal(p.exempt, false);
});

test('namespace policy: without labels or configuration everything is privileged', () => {
  assert.deepEqual(Object.values(namespacePolicy('a', {}).modes).map((m) => m.level), ['privileged', 'privileged', 'privileged']);
});

test('namespace policy: a bad enforce level fails closed, bad audit/warn levels fail open, a bad version is latest', () => {
  const p = namespacePolicy('a', { 'pod-security.kubernetes.io/enforce': 'Restricted', 'pod-security.kubernetes.io/warn': 'strict', 'pod-security.kubernetes.io/enforce-version': '1.30' });
  assert.equal(p.modes.enforce.level, 'restricted');
  assert.equal(p.modes.enforce.version, 'latest');
  assert.equal(p.modes.warn.level, 'privileged');
  assert.equal(p.problems.length, 3);
  assert.match(p.problems[0]!, /enforce=Restricted is not privileged, baseline or restricted; PodSecurity uses restricted/);
});

test('namespace policy: an exempt namespace is reported as exempt', () => {
  assert.equal(namespacePolicy('kube-system', {}, { defaults: { enforce: { level: 'restricted', version: 'latest' }, audit: { level: 'restricted', version: 'latest' }, warn: { level: 'restricted', version: 'latest' } }, exemptions: { namespaces: ['kube-system'], usernames: [], runtimeClasses: [] } }).exempt, true);
});

test('checks per level: baseline only baseline; restricted drops the baseline checks it overrides', () => {
  assert.deepEqual(checksForLevel('baseline', FAKE_PSS_CHECKS).map((c) => c.id), ['fake-privileged', 'fake-capabilities-baseline']);
  assert.deepEqual(checksForLevel('restricted', FAKE_PSS_CHECKS).map((c) => c.id), ['fake-privileged', 'fake-capabilities-restricted', 'fake-run-as-non-root']);
  assert.deepEqual(checksForLevel('privileged', FAKE_PSS_CHECKS), []);
});

const WORKLOADS = `
apiVersion: v1
kind: Namespace
metadata: {name: empty}
---
apiVersion: v1
kind: Pod
metadata: {name: good, namespace: shop}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
  - {name: app, image: app:1, securityContext: {capabilities: {drop: [ALL]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: legacy}
spec:
  template:
    spec:
      containers:
      - {name: web, image: web:1}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: system}
spec:
  template:
    spec:
      containers:
      - {name: agent, image: agent:1, securityContext: {privileged: true}}
`;

test('preview: which workloads a level rejects and why; Pods are rejected, controllers get their pods rejected', () => {
  const inventory = inventoryFromYaml(WORKLOADS);
  const r = previewLevel(inventory, inventory.pods, 'restricted', 'latest', FAKE_PSS_CHECKS);
  assert.deepEqual(r.map((x) => [x.workload, x.rejects, x.reasons.map((y) => y.pss)]), [
    ['Deployment legacy/web', 'the pods it creates', ['restricted/capabilities_restricted', 'restricted/runAsNonRoot']],
    ['DaemonSet system/agent', 'the pods it creates', ['baseline/privileged', 'restricted/capabilities_restricted', 'restricted/runAsNonRoot']],
  ]);
  assert.deepEqual(previewLevel(inventory, inventory.pods, 'baseline', 'latest', FAKE_PSS_CHECKS).map((x) => x.workload), ['DaemonSet system/agent']);
  assert.deepEqual(previewLevel(inventory, inventory.pods, 'privileged', 'latest', FAKE_PSS_CHECKS), []);
});

test('preview: pods with an exempt RuntimeClass are not judged', () => {
  const inventory = inventoryFromYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: kata\n  containers:\n  - {name: a, image: a, securityContext: {privileged: true}}\n');
  assert.equal(previewLevel(inventory, inventory.pods, 'baseline', 'latest', FAKE_PSS_CHECKS).length, 1);
  assert.equal(previewLevel(inventory, inventory.pods, 'baseline', 'latest', FAKE_PSS_CHECKS, ['kata']).length, 0);
});

test('proposed labels: the strictest level each namespace passes, with what blocks the next level', () => {
  const proposals = proposePsaLabels(inventoryFromYaml(WORKLOADS), { checks: FAKE_PSS_CHECKS, version: 'v1.33' });
  assert.deepEqual(proposals.map((p) => [p.namespace, p.level, p.workloads, p.blockedAt?.level]), [
    ['empty', 'restricted', 0, undefined],
    ['legacy', 'baseline', 1, 'restricted'],
    ['shop', 'restricted', 1, undefined],
    ['system', 'privileged', 1, 'baseline'],
  ]);
  assert.deepEqual(proposals[1]!.labels, {
    'pod-security.kubernetes.io/enforce': 'baseline',
    'pod-security.kubernetes.io/enforce-version': 'v1.33',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': 'v1.33',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': 'v1.33',
  });
  assert.deepEqual(proposals[3]!.blockedAt!.rejections.map((r) => r.reasons.map((x) => x.message)), [['container "agent" is privileged']]);
});

test('the generated labels, applied to the namespaces, admit every current workload (kubeharden\'s own preview agrees)', () => {
  const workloads = inventoryFromYaml(WORKLOADS);
  const yaml = psaLabelsYaml(proposePsaLabels(workloads, { checks: FAKE_PSS_CHECKS }));
  const labelled = inventoryFromYaml(yaml);
  assert.deepEqual(labelled.problems, []);
  const namespaces = labelled.ofKind('Namespace');
  assert.deepEqual(namespaces.map((n) => n.name), ['empty', 'legacy', 'shop', 'system']);
  for (const ns of namespaces) {
    const policy = namespacePolicy(ns.name, ns.labels);
    assert.deepEqual(policy.problems, []);
    const pods = workloads.pods.filter((p) => p.object.namespace === ns.name);
    assert.deepEqual(previewLevel(workloads, pods, policy.modes.enforce.level, policy.modes.enforce.version, FAKE_PSS_CHECKS), [], ns.name);
  }
  assert.match(yaml, /# At baseline these would be rejected:\n# {3}DaemonSet system\/agent \(the pods it creates\): baseline\/privileged: container "agent" is privileged/);
});

test('without PSS checks the preview refuses instead of admitting everything', () => {
  const inventory = inventoryFromYaml(WORKLOADS);
  assert.throws(() => previewLevel(inventory, inventory.pods, 'restricted', 'latest', []), /no Pod Security Standards checks for the restricted level are available/);
});

test('namespace reports: policy per namespace over the defaults, exemptions, and the preview', () => {
  const inventory = inventoryFromYaml(WORKLOADS + `---
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
  labels: {pod-security.kubernetes.io/enforce: baseline}
`);
  const config = {
    defaults: { enforce: { level: 'baseline' as const, version: 'latest' }, audit: { level: 'privileged' as const, version: 'latest' }, warn: { level: 'privileged' as const, version: 'latest' } },
    exemptions: { namespaces: ['system'], usernames: [], runtimeClasses: [] },
    problems: [],
  };
  const reports = namespaceReports(inventory, { previewLevel: 'restricted', config, checks: FAKE_PSS_CHECKS });
  assert.deepEqual(reports.map((r) => [r.namespace, r.declared, r.policy.exempt, r.policy.modes.enforce.level, r.policy.modes.enforce.from, r.rejections.map((x) => x.workload)]), [
    ['empty', true, false, 'baseline', 'default', []],
    ['legacy', true, false, 'baseline', 'label', ['Deployment legacy/web']],
    ['shop', false, false, 'baseline', 'default', []],
    ['system', false, true, 'baseline', 'default', []],
  ]);
  const text = previewText(reports, 'restricted');
  assert.match(text, /^legacy: enforce baseline@latest, audit privileged@latest \(default\), warn privileged@latest \(default\)\n {2}at restricted, 1 of 1 workload\(s\) would be rejected:\n {4}Deployment legacy\/web \(the pods it creates\):\n {6}restricted\/capabilities_restricted: container "web" does not drop ALL/m);
  assert.match(text, /^system \(no Namespace object in the input\): exempt from PodSecurity$/m);
  const noConfig = previewText(namespaceReports(inventory, { previewLevel: 'baseline', checks: FAKE_PSS_CHECKS }), 'baseline');
  assert.match(noConfig, /^shop \(no Namespace object in the input\): enforce privileged@latest \(default\).*\n {2}! left at privileged: any pod is admitted\n {2}at baseline: all 1 workload\(s\) would be admitted$/m);
});
