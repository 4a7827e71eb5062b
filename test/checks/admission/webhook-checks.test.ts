import { test } from 'node:test';
import assert from 'node:assert/strict';
import { securityWebhookExclusionsNarrow } from '../../../src/checks/admission/security-webhook-exclusions-narrow.js';
import { securityWebhookFailsClosed } from '../../../src/checks/admission/security-webhook-fails-closed.js';
import { webhookTimeoutShort } from '../../../src/checks/admission/webhook-timeout-short.js';
import { paths, runCheck } from '../../helpers.js';

const config = (apiVersion: string, name: string, webhook: string) => `
apiVersion: ${apiVersion}
kind: ValidatingWebhookConfiguration
metadata: {name: ${name}}
webhooks:
- name: ${name}.example
  clientConfig:
    service: {name: ${name}-svc, namespace: ${name}}
${webhook}`;

test('fails-closed: a policy engine webhook with Ignore fails, with a fix; Fail and the v1 default pass', () => {
  assert.deepEqual(runCheck(securityWebhookFailsClosed, config('admissionregistration.k8s.io/v1', 'kyverno', '  failurePolicy: Fail\n')), []);
  assert.deepEqual(runCheck(securityWebhookFailsClosed, config('admissionregistration.k8s.io/v1', 'kyverno', '  sideEffects: None\n')), []);
  const v = runCheck(securityWebhookFailsClosed, config('admissionregistration.k8s.io/v1', 'gatekeeper', '  failurePolicy: Ignore\n'));
  assert.deepEqual(paths(v), ['webhooks[0].failurePolicy']);
  assert.match(v[0]!.message, /webhook "gatekeeper\.example" sets failurePolicy: Ignore/);
  assert.deepEqual(v[0]!.fix, [{ op: 'replace', path: '/webhooks/0/failurePolicy', value: 'Fail' }]);
});

test('fails-closed: v1beta1 without failurePolicy is Ignore; webhooks that are not policy engines are not judged', () => {
  const v = runCheck(securityWebhookFailsClosed, config('admissionregistration.k8s.io/v1beta1', 'kyverno', '  sideEffects: None\n'));
  assert.match(v[0]!.message, /has no failurePolicy, which is Ignore in v1beta1/);
  assert.deepEqual(runCheck(securityWebhookFailsClosed, config('admissionregistration.k8s.io/v1', 'cert-manager', '  failurePolicy: Ignore\n')), []);
});

test('exclusions: system namespaces and the engine\'s own namespace by name are fine', () => {
  assert.deepEqual(runCheck(securityWebhookExclusionsNarrow, config('admissionregistration.k8s.io/v1', 'kyverno', `  namespaceSelector:
    matchExpressions:
    - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, kyverno]}
`)), []);
});

test('exclusions: extra namespaces by name, an opt-out object label and an opt-in namespace label are reported', () => {
  const v = runCheck(securityWebhookExclusionsNarrow, config('admissionregistration.k8s.io/v1', 'kyverno', `  namespaceSelector:
    matchLabels: {policy: enforced}
    matchExpressions:
    - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, kyverno, monitoring, ci]}
  objectSelector:
    matchExpressions:
    - {key: skip-policy, operator: DoesNotExist}
`));
  assert.deepEqual(paths(v), [
    'webhooks[0].namespaceSelector.matchLabels.policy',
    'webhooks[0].namespaceSelector.matchExpressions[0]',
    'webhooks[0].objectSelector.matchExpressions[0]',
  ]);
  assert.match(v[0]!.message, /only sees namespaces labelled policy=enforced: namespaces without that label bypass it/);
  assert.match(v[1]!.message, /skips namespaces monitoring, ci besides the system ones/);
  assert.match(v[2]!.message, /skips objects labelled skip-policy: whoever creates the object can opt out of it/);
});

test('timeout: over 10 seconds is reported with a fix; 10 or less, or unset, passes', () => {
  assert.deepEqual(runCheck(webhookTimeoutShort, config('admissionregistration.k8s.io/v1', 'anything', '  timeoutSeconds: 10\n')), []);
  const v = runCheck(webhookTimeoutShort, config('admissionregistration.k8s.io/v1', 'anything', '  timeoutSeconds: 30\n'));
  assert.match(v[0]!.message, /waits up to 30s per request \(failurePolicy Fail\); set timeoutSeconds to 10 or less/);
  assert.deepEqual(v[0]!.fix, [{ op: 'replace', path: '/webhooks/0/timeoutSeconds', value: 10 }]);
});
