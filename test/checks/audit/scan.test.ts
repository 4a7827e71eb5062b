// Audit and admission checks through the whole scan: line numbers, and malformed input that
// must end in findings or skips, never in a crashed check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { admissionChecks } from '../../../src/checks/admission/index.js';
import { auditChecks } from '../../../src/checks/audit/index.js';
import { nodeChecks } from '../../../src/checks/node/index.js';
import { runChecks } from '../../../src/engine/run.js';
import { scanManifests } from '../../../src/engine/scan.js';
import { inventoryFromYaml } from '../../helpers.js';

test('scan: audit findings point at the rule\'s line, admission findings at the flag\'s line', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-scan-'));
  writeFileSync(path.join(dir, 'audit.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  resources: [{group: "", resources: [events]}]\n- level: RequestResponse\n');
  writeFileSync(path.join(dir, 'kube-apiserver.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --enable-admission-plugins=AlwaysAdmit\n');
  const result = await scanManifests([dir], { checks: [...auditChecks, ...admissionChecks, ...nodeChecks] });
  const at = (check: string) => result.findings.filter((f) => f.check === check).map((f) => `${path.basename(f.location.file)}:${f.location.line} ${f.location.path}`);
  assert.deepEqual(at('audit-policy-keeps-secrets-out-of-logs'), ['audit.yaml:6 rules[1].level']);
  assert.deepEqual(at('apiserver-always-admit-disabled'), ['kube-apiserver.yaml:10 spec.containers[0].command[1]']);
  assert.deepEqual(at('apiserver-node-restriction-plugin-enabled'), ['kube-apiserver.yaml:10 spec.containers[0].command[1]']);
  // One finding per CIS item: the admission checks no longer repeat the node items.
  for (const cis of ['cis:1.2.9', 'cis:1.2.10', 'cis:1.2.14']) {
    assert.equal(result.findings.filter((f) => f.controls.includes(cis)).length, 1, cis);
  }
  assert.equal(result.checks.find((c) => c.id === 'security-webhook-fails-closed')?.status, 'skip');
});

test('malformed Policies, API server pods and webhooks never crash a check', () => {
  const inventory = inventoryFromYaml(`
apiVersion: audit.k8s.io/v1
kind: Policy
rules: {level: None}
---
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: RequestReceived
rules:
- level: [None]
  users: {a: b}
  resources: [{group: 3, resources: pods}]
---
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  resources: [{group: "", resources: [7, null]}]
  nonResourceURLs: null
---
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver}
spec:
  containers:
  - name: kube-apiserver
    image: k
    command: [kube-apiserver, 5, --enable-admission-plugins, --disable-admission-plugins=]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: kyverno}
webhooks:
- 7
- name: kyverno.x
  failurePolicy: 3
  timeoutSeconds: "30"
  namespaceSelector: {matchExpressions: [5, {key: 1}], matchLabels: [a]}
  objectSelector: []
`);
  const { result } = runChecks(inventory, [...auditChecks, ...admissionChecks], { type: 'manifests' });
  assert.deepEqual(result.checks.filter((c) => c.status === 'error'), []);
  assert.ok(result.findings.some((f) => f.check === 'audit-policy-valid' && f.location.path === 'rules'));
});
