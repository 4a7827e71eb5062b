import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiServerAdmissionFlagsValid } from '../../../src/checks/admission/apiserver-admission-flags-valid.js';
import { apiServerPodSecurityAdmissionEnabled } from '../../../src/checks/admission/apiserver-pod-security-admission-enabled.js';
import { contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';
import { apiServerManifest as apiServer } from '../node/node-helpers.js';

test('admission checks skip when there is no kube-apiserver, and ignore other pods', () => {
  const inventory = inventoryFromYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: web, image: nginx, command: [nginx]}\n');
  assert.deepEqual(apiServerPodSecurityAdmissionEnabled.evaluate(inventory, contextFor(inventory)), { skip: 'the input has no kube-apiserver static Pod' });
});

// The CIS plugin items (NodeRestriction, AlwaysAdmit, EventRateLimit…) are node checks: test/checks/node/admission-plugin-items.test.ts.

test('pod-security: on by default; fails when disabled or left out of --admission-control', () => {
  assert.deepEqual(runCheck(apiServerPodSecurityAdmissionEnabled, apiServer()), []);
  assert.match(runCheck(apiServerPodSecurityAdmissionEnabled, apiServer('--disable-admission-plugins=PodSecurity'))[0]!.message, /turns PodSecurity off/);
  assert.match(runCheck(apiServerPodSecurityAdmissionEnabled, apiServer('--admission-control=NodeRestriction'))[0]!.message, /does not list PodSecurity/);
});

test('admission-flags-valid: reports unknown plugins at the flag', () => {
  assert.deepEqual(runCheck(apiServerAdmissionFlagsValid, apiServer('--enable-admission-plugins=NodeRestriction')), []);
  const v = runCheck(apiServerAdmissionFlagsValid, apiServer('--enable-admission-plugins=NodeRestriction,PodSecurityPolicy'));
  assert.deepEqual(paths(v), ['spec.containers[0].command[2]']);
  assert.match(v[0]!.message, /PodSecurityPolicy, which is removed in Kubernetes 1\.25/);
  const overlap = runCheck(apiServerAdmissionFlagsValid, apiServer('--enable-admission-plugins=NodeRestriction', '--disable-admission-plugins=NodeRestriction'));
  assert.deepEqual(paths(overlap), ['spec.containers[0].command[3]']);
  assert.match(overlap[0]!.message, /NodeRestriction both enabled and disabled: the API server refuses to start/);
});
