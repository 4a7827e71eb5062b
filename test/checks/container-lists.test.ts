// Which containers each container check covers is decided in its metadata (`containers`) and
// proven here: the same failing container is put in each list in turn; the check fails exactly
// for the lists it says it covers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CHECKS } from '../../src/checks/index.js';
import type { PodCheck } from '../../src/checks/types.js';
import { runCheck } from '../helpers.js';

const PLAIN = '{name: c, image: "registry.example/app:1.2.3"}';
/** A container each check fails on (a flow mapping), wherever it sits. */
const FAILING: Record<string, string> = {
  'container-drops-net-raw': PLAIN,
  'container-no-dangerous-capabilities': '{name: c, image: x, securityContext: {capabilities: {add: [SYS_ADMIN]}}}',
  'container-secrets-not-in-env': '{name: c, image: x, env: [{name: DB, valueFrom: {secretKeyRef: {name: db, key: pw}}}]}',
  'container-runs-with-non-root-group': '{name: c, image: x, securityContext: {runAsGroup: 0}}',
  'container-no-credentials-in-env': '{name: c, image: x, env: [{name: DB_PASSWORD, value: hunter2}]}',
  'container-image-pinned': '{name: c, image: "registry.example/app:latest"}',
  'container-read-only-root-filesystem': PLAIN,
  'container-resource-limits-set': PLAIN,
  'container-resource-requests-set': PLAIN,
  'container-adds-only-baseline-capabilities': '{name: c, image: x, securityContext: {capabilities: {add: [SYS_ADMIN]}}}',
  'container-default-proc-mount': '{name: c, image: x, securityContext: {procMount: Unmasked}}',
  'container-default-proc-mount-strict': '{name: c, image: x, securityContext: {procMount: Unmasked}}',
  'container-disallows-privilege-escalation': PLAIN,
  'container-drops-all-capabilities': PLAIN,
  'container-no-host-ports': '{name: c, image: x, ports: [{containerPort: 80, hostPort: 80}]}',
  'container-not-privileged': '{name: c, image: x, securityContext: {privileged: true}}',
  'container-probes-and-hooks-without-host': '{name: c, image: x, livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}}',
  'container-run-as-user-not-root': '{name: c, image: x, securityContext: {runAsUser: 0}}',
  'container-runs-as-non-root': PLAIN,
  'pod-seccomp-not-unconfined': '{name: c, image: x, securityContext: {seccompProfile: {type: Unconfined}}}',
  'pod-seccomp-profile-set': PLAIN,
  'pod-selinux-options-allowed': '{name: c, image: x, securityContext: {seLinuxOptions: {type: spc_t}}}',
  'pod-apparmor-not-unconfined': '{name: c, image: x, securityContext: {appArmorProfile: {type: Unconfined}}}',
  'container-no-ssh-port': '{name: c, image: x, ports: [{containerPort: 22}]}',
  'container-image-digest-only': '{name: c, image: "registry.example/app:1.2.3"}',
  'container-image-pull-policy-always': '{name: c, image: "registry.example/app:1.2.3"}',
  'container-runs-with-high-uid': '{name: c, image: x, securityContext: {runAsUser: 1000, runAsGroup: 1000}}',
  'container-ephemeral-storage-set': PLAIN,
  'cluster-no-dashboard-or-tiller': '{name: c, image: "kubernetesui/dashboard:v2.7.0"}',
  'container-liveness-probe-set': PLAIN,
};

const podChecks = ALL_CHECKS.filter((c): c is PodCheck => c.scope === 'pod');

test('every container check declares the containers it covers, and has a row here', () => {
  const declared = podChecks.filter((c) => c.containers).map((c) => c.id).sort();
  const undeclared = podChecks.filter((c) => c.id.startsWith('container-') && !c.containers).map((c) => c.id);
  assert.deepEqual(undeclared, []);
  assert.deepEqual(declared, Object.keys(FAILING).sort());
  for (const c of podChecks.filter((x) => x.containers)) assert.ok(c.containers!.why.length > 20, `${c.id} says why`);
});

function podWith(list: string, container: string): string {
  // A regular container is required beside an init or ephemeral one; it passes every check.
  const good = `{name: ok, image: "registry.example/app@sha256:${'a'.repeat(64)}", imagePullPolicy: Always, livenessProbe: {tcpSocket: {port: 8080}}, resources: {limits: {cpu: 1, memory: 1Gi, ephemeral-storage: 1Gi}, requests: {cpu: 1, memory: 1Gi, ephemeral-storage: 1Gi}},
     securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}}`;
  const regular = list === 'containers' ? container : good;
  return `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  securityContext: {runAsGroup: 10001, fsGroup: 1000}
  containers: [${regular}]
${list === 'containers' ? '' : `  ${list}: [${container}]`}
`;
}

for (const check of podChecks.filter((c) => c.containers)) {
  test(`${check.id}: fails for a container in exactly the lists it covers (${check.containers!.covers.join(', ')})`, () => {
    for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
      const v = runCheck(check, podWith(list, FAILING[check.id]!), { pssVersion: 'latest' });
      const covered = check.containers!.covers.includes(list);
      assert.equal(v.length > 0, covered, `${list}: ${covered ? 'should fail' : 'should be left out'}: ${v.map((x) => x.message).join('; ')}`);
    }
  });
}
