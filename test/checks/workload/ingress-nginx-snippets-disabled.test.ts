import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingressNginxSnippetsDisabled as check } from '../../../src/checks/workload/ingress-nginx-snippets-disabled.js';
import { contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';

const configMap = (data: string, name = 'ingress-nginx-controller') => `
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ingress-nginx
  labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
data:
${data}
---`;

const controller = (tag: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec:
  template:
    spec:
      containers:
      - name: controller
        image: registry.k8s.io/ingress-nginx/controller:${tag}@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
        args: [/nginx-ingress-controller, --configmap=$(POD_NAMESPACE)/ingress-nginx-controller]
---`;

test('passes for "false" (and the other spellings Go reads as false)', () => {
  assert.deepEqual(runCheck(check, configMap('  allow-snippet-annotations: "false"')), []);
  assert.deepEqual(runCheck(check, configMap('  allow-snippet-annotations: "False"')), []);
  assert.deepEqual(runCheck(check, configMap('  allow-snippet-annotations: "0"')), []);
});

test('passes when unset on a controller of v1.9.0 or later, where false is the default', () => {
  assert.deepEqual(runCheck(check, configMap('  use-forwarded-headers: "true"') + controller('v1.11.3')), []);
});

test('fails for "true"', () => {
  const v = runCheck(check, configMap('  allow-snippet-annotations: "true"'));
  assert.deepEqual(paths(v), ['data.allow-snippet-annotations']);
  assert.match(v[0]!.message, /is "true", so anyone who can edit an Ingress can inject NGINX configuration/);
});

test('fails when unset and the controller is older than v1.9.0, naming its version', () => {
  const v = runCheck(check, configMap('  use-forwarded-headers: "true"') + controller('v1.8.2'));
  assert.deepEqual(paths(v), ['data']);
  assert.match(v[0]!.message, /not set, so the controller default applies, which is "true" before v1.9.0 \(the input says the controller is v1.8.2\)/);
});

test('without a controller image, the ConfigMap\'s app.kubernetes.io/version label gives the version', () => {
  const labelled = configMap('  use-forwarded-headers: "true"').replace('app.kubernetes.io/component: controller', 'app.kubernetes.io/component: controller, app.kubernetes.io/version: 1.15.1');
  assert.deepEqual(runCheck(check, labelled), []);
});

test('fails when unset and the version is unknown, saying both defaults', () => {
  const v = runCheck(check, configMap('  use-forwarded-headers: "true"'));
  assert.match(v[0]!.message, /"true" before v1.9.0, "false" from v1.9.0 on, and the input does not show the controller version/);
});

test('an unreadable value leaves the default; a controller without the setting cannot disable snippets', () => {
  const unreadable = runCheck(check, configMap('  allow-snippet-annotations: "nope"') + controller('v1.5.1'));
  assert.match(unreadable[0]!.message, /"nope" is not a boolean the controller can read, so its default applies, which is "true" before v1.9.0/);
  const old = runCheck(check, configMap('  allow-snippet-annotations: "false"') + controller('v1.0.0'));
  assert.match(old[0]!.message, /v1.0.0 has no allow-snippet-annotations setting/);
});

test('an unquoted YAML boolean is reported: the API server rejects it', () => {
  const v = runCheck(check, configMap('  allow-snippet-annotations: false'));
  assert.match(v[0]!.message, /is not a string/);
});

test('the chart\'s TCP port-map ConfigMap is not the controller ConfigMap; no controller ConfigMap means skip', () => {
  const inventory = inventoryFromYaml(configMap('  "8080": "shop/web:80"', 'ingress-nginx-tcp'));
  const outcome = check.evaluate(inventory, contextFor(inventory));
  assert.deepEqual(outcome, { skip: 'the input has no ingress-nginx controller ConfigMap' });
});
