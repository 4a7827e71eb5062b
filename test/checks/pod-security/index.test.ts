import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pssChecks } from '../../../src/checks/pod-security/index.js';
import { runChecks } from '../../../src/engine/run.js';
import { inventoryFromYaml } from '../../helpers.js';
import { pod } from './manifests.js';

test('registers the 19 PSA checks in the order of the spec', () => {
  assert.deepEqual(pssChecks.map((c) => c.pss?.check), [
    'windowsHostProcess', 'hostNamespaces', 'privileged', 'capabilities_baseline', 'hostPathVolumes', 'hostPorts',
    'hostProbesAndHostLifecycle', 'appArmorProfile', 'seLinuxOptions', 'procMount', 'seccompProfile_baseline', 'sysctls',
    'restrictedVolumes', 'allowPrivilegeEscalation', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
    'capabilities_restricted', 'procMount_restricted',
  ]);
  assert.equal(new Set(pssChecks.map((c) => c.id)).size, 19);
});

test('every check is a pod-security pod check carrying its own pss: control', () => {
  for (const c of pssChecks) {
    assert.equal(c.scope, 'pod', c.id);
    assert.equal(c.category, 'pod-security', c.id);
    assert.ok(c.controls.includes(`pss:${c.pss!.level}/${c.pss!.check}`), c.id);
  }
});

test('each baseline check replaced at restricted names a restricted check that exists', () => {
  const restricted = new Set(pssChecks.filter((c) => c.pss?.level === 'restricted').map((c) => c.pss!.check));
  const overridden = pssChecks.filter((c) => c.pss?.overriddenBy).map((c) => [c.pss!.check, c.pss!.overriddenBy]);
  assert.deepEqual(overridden, [
    ['capabilities_baseline', 'capabilities_restricted'],
    ['hostPathVolumes', 'restrictedVolumes'],
    ['procMount', 'procMount_restricted'],
    ['seccompProfile_baseline', 'seccompProfile_restricted'],
  ]);
  for (const [, by] of overridden) assert.ok(restricted.has(by!), by);
});

test('an overriding check is at least as severe as the check it replaces', () => {
  const order = ['info', 'low', 'medium', 'high', 'critical'];
  for (const c of pssChecks.filter((x) => x.pss?.overriddenBy)) {
    const by = pssChecks.find((x) => x.pss?.check === c.pss!.overriddenBy)!;
    assert.ok(order.indexOf(by.severity) >= order.indexOf(c.severity), `${by.id} vs ${c.id}`);
  }
});

test('an invalid policy version makes the checks error with a clear reason, not pass', () => {
  const inventory = inventoryFromYaml(pod('{containers: [{name: a, image: a}]}'));
  const { result } = runChecks(inventory, pssChecks, { type: 'manifests' }, { settings: { pssVersion: 'v1.025' } });
  const sysctls = result.checks.find((c) => c.id === 'pod-only-safe-sysctls')!;
  assert.equal(sysctls.status, 'error');
  assert.match(sysctls.reason!, /invalid Pod Security Standards version "v1\.025"/);
});

test('odd shapes the inventory lets through never crash a check', () => {
  const inventory = inventoryFromYaml(pod(`{
    os: {name: 5}, securityContext: {sysctls: [5, {name: 7}], seLinuxOptions: {type: 5, user: [x]}, seccompProfile: {type: 1},
      appArmorProfile: {}, windowsOptions: {hostProcess: "yes"}},
    volumes: [{name: v, hostPath: "x"}, {name: w, nfs: null, emptyDir: null}],
    containers: [{name: a, image: a, ports: [5, {hostPort: "80"}], livenessProbe: "x", lifecycle: {postStart: 3},
      securityContext: {capabilities: {add: [5], drop: [null]}, seLinuxOptions: {}}}]}`,
    'annotations: {container.apparmor.security.beta.kubernetes.io/a: null, seccomp.security.alpha.kubernetes.io/pod: 5}'));
  assert.deepEqual(inventory.problems, []);
  for (const pssVersion of ['latest', 'v1.0', 'v1.18']) {
    const { result } = runChecks(inventory, pssChecks, { type: 'manifests' }, { settings: { pssVersion } });
    assert.deepEqual(result.checks.filter((c) => c.status === 'error'), [], pssVersion);
    assert.ok(result.findings.length > 0, pssVersion);
  }
});
