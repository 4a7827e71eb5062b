import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  effectiveSecurityContext,
  effectiveSecurityContexts,
  isWindowsPod,
  resolveField,
  runsInUserNamespace,
  settingsOf,
} from '../../../src/analysis/pod/security-context.js';
import { formatPath, type PodTarget } from '../../../src/inventory/model.js';
import { containersOf } from '../../../src/inventory/pod-specs.js';
import { inventoryFromYaml } from '../../helpers.js';

function podOf(yaml: string): PodTarget {
  const inventory = inventoryFromYaml(yaml);
  assert.deepEqual(inventory.problems, []);
  assert.equal(inventory.pods.length, 1);
  return inventory.pods[0]!;
}

/** A Pod with the given pod-level securityContext and one container "app" with its own. */
function pod(podSc: string, containerSc: string): PodTarget {
  return podOf(`
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: ${podSc}
  containers:
  - name: app
    image: app:1
    securityContext: ${containerSc}
`);
}

function resolveApp(p: PodTarget, field: Parameters<typeof resolveField>[2]) {
  const r = resolveField(p, containersOf(p)[0]!, field);
  return { value: r.value, origin: r.origin, path: formatPath(r.path) };
}

test('a container value overrides the pod value', () => {
  assert.deepEqual(resolveApp(pod('{runAsUser: 1000}', '{runAsUser: 2000}'), 'runAsUser'), {
    value: 2000, origin: 'container', path: 'spec.containers[0].securityContext.runAsUser',
  });
});

test('the pod value is inherited when the container does not set the field', () => {
  assert.deepEqual(resolveApp(pod('{runAsGroup: 3000}', '{}'), 'runAsGroup'), {
    value: 3000, origin: 'pod', path: 'spec.securityContext.runAsGroup',
  });
});

test('unset at both levels: origin unset, path at the container field', () => {
  assert.deepEqual(resolveApp(pod('{}', '{}'), 'runAsNonRoot'), {
    value: undefined, origin: 'unset', path: 'spec.containers[0].securityContext.runAsNonRoot',
  });
});

test('an explicit false on the container overrides a pod-level true', () => {
  assert.deepEqual(resolveApp(pod('{runAsNonRoot: true}', '{runAsNonRoot: false}'), 'runAsNonRoot'), {
    value: false, origin: 'container', path: 'spec.containers[0].securityContext.runAsNonRoot',
  });
});

test('runAsUser 0 on the container overrides a non-zero pod value (0 is a value, not unset)', () => {
  assert.deepEqual(resolveApp(pod('{runAsUser: 1000}', '{runAsUser: 0}'), 'runAsUser'), {
    value: 0, origin: 'container', path: 'spec.containers[0].securityContext.runAsUser',
  });
});

test('null counts as unset, so the pod value is inherited', () => {
  assert.deepEqual(resolveApp(pod('{runAsNonRoot: true}', '{runAsNonRoot: null}'), 'runAsNonRoot'), {
    value: true, origin: 'pod', path: 'spec.securityContext.runAsNonRoot',
  });
});

test('a container without any securityContext inherits the pod value', () => {
  const p = podOf(`
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {seccompProfile: {type: RuntimeDefault}}
  containers: [{name: app, image: app:1}]
`);
  assert.deepEqual(resolveApp(p, 'seccompProfileType'), {
    value: 'RuntimeDefault', origin: 'pod', path: 'spec.securityContext.seccompProfile.type',
  });
});

test('a container profile with no type still overrides the pod profile (profiles are set as a whole)', () => {
  assert.deepEqual(resolveApp(pod('{seccompProfile: {type: RuntimeDefault}}', '{seccompProfile: {}}'), 'seccompProfileType'), {
    value: undefined, origin: 'container', path: 'spec.containers[0].securityContext.seccompProfile.type',
  });
});

test('appArmorProfile.type: container overrides pod', () => {
  assert.deepEqual(resolveApp(pod('{appArmorProfile: {type: RuntimeDefault}}', '{appArmorProfile: {type: Unconfined}}'), 'appArmorProfileType'), {
    value: 'Unconfined', origin: 'container', path: 'spec.containers[0].securityContext.appArmorProfile.type',
  });
});

test('seLinuxOptions is taken whole from the container, never merged with the pod', () => {
  assert.deepEqual(resolveApp(pod('{seLinuxOptions: {user: u, level: "s0:c1"}}', '{seLinuxOptions: {type: container_t}}'), 'seLinuxOptions'), {
    value: { type: 'container_t' }, origin: 'container', path: 'spec.containers[0].securityContext.seLinuxOptions',
  });
});

test('windowsOptions.hostProcess resolves on its own: other windowsOptions on the container do not hide the pod value', () => {
  assert.deepEqual(resolveApp(pod('{windowsOptions: {hostProcess: true}}', '{windowsOptions: {runAsUserName: app}}'), 'windowsHostProcess'), {
    value: true, origin: 'pod', path: 'spec.securityContext.windowsOptions.hostProcess',
  });
});

test('paths include the template prefix of a CronJob; init and ephemeral order is kept', () => {
  const p = podOf(`
apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          securityContext: {runAsNonRoot: true}
          initContainers: [{name: init, image: i:1, securityContext: {runAsNonRoot: false}}]
          containers: [{name: app, image: a:1}]
`);
  const all = effectiveSecurityContexts(p).map((e) => ({
    name: e.container.name,
    origin: e.fields.runAsNonRoot.origin,
    path: formatPath(e.fields.runAsNonRoot.path),
  }));
  assert.deepEqual(all, [
    { name: 'init', origin: 'container', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.runAsNonRoot' },
    { name: 'app', origin: 'pod', path: 'spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot' },
  ]);
});

test('effectiveSecurityContext resolves every shared field at once', () => {
  const p = pod('{runAsUser: 1000, runAsNonRoot: true}', '{runAsUser: 5}');
  const fields = effectiveSecurityContext(p, containersOf(p)[0]!).fields;
  assert.deepEqual(
    Object.fromEntries(Object.entries(fields).map(([k, r]) => [k, r.origin])),
    {
      runAsNonRoot: 'pod', runAsUser: 'container', runAsGroup: 'unset', seccompProfileType: 'unset',
      appArmorProfileType: 'unset', seLinuxOptions: 'unset', windowsHostProcess: 'unset',
    },
  );
});

test('settingsOf lists the pod setting first, then each container that sets the field', () => {
  const p = podOf(`
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsUser: 0}
  initContainers: [{name: init, image: i:1, securityContext: {runAsUser: 0}}]
  containers:
  - {name: a, image: a:1}
  - {name: b, image: b:1, securityContext: {runAsUser: 7}}
  ephemeralContainers: [{name: debug, image: d:1, securityContext: {runAsUser: 0}}]
`);
  assert.deepEqual(
    settingsOf(p, 'runAsUser').map((s) => [s.origin, s.container?.name, s.value, formatPath(s.path)]),
    [
      ['pod', undefined, 0, 'spec.securityContext.runAsUser'],
      ['container', 'init', 0, 'spec.initContainers[0].securityContext.runAsUser'],
      ['container', 'b', 7, 'spec.containers[1].securityContext.runAsUser'],
      ['container', 'debug', 0, 'spec.ephemeralContainers[0].securityContext.runAsUser'],
    ],
  );
});

test('isWindowsPod is true only for spec.os.name exactly "windows"', () => {
  const withOs = (os: string) => podOf(`{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {os: ${os}, containers: [{name: a, image: a}]}}`);
  assert.equal(isWindowsPod(withOs('{name: windows}')), true);
  assert.equal(isWindowsPod(withOs('{name: linux}')), false);
  assert.equal(isWindowsPod(withOs('{name: Windows}')), false);
  assert.equal(isWindowsPod(withOs('null')), false);
});

test('runsInUserNamespace is true only for an explicit hostUsers: false', () => {
  const withHostUsers = (v: string) => podOf(`{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostUsers: ${v}, containers: [{name: a, image: a}]}}`);
  assert.equal(runsInUserNamespace(withHostUsers('false')), true);
  assert.equal(runsInUserNamespace(withHostUsers('true')), false);
  assert.equal(runsInUserNamespace(withHostUsers('null')), false);
});
