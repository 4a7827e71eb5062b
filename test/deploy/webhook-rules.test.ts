// The webhook's rules in deploy/ cover every way a pod spec can be written: the Pod itself, the
// subresources that change a running pod's spec (pods/ephemeralcontainers — `kubectl debug` —
// and pods/resize), and the template of every built-in workload. A missing
// pods/ephemeralcontainers once let a privileged debug container in unjudged.
//
// Proven statically here, as an API server matches rules (apiGroups × resources × operations,
// `*` wildcards; k8s.io/apiserver admission/plugin/webhook/predicates/rules). That a real
// kube-apiserver sends these reviews is for the control-plane harness (scripts/control-plane.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadManifests } from '../../src/sources/manifests.js';
import { POD_BEARING } from '../../src/inventory/pod-bearing-kinds.js';
import { REPO_ROOT } from '../helpers.js';

interface Rule { apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }

function matches(rules: Rule[], group: string, resource: string, operation: string): boolean {
  return rules.some(
    (r) =>
      (r.apiGroups.includes('*') || r.apiGroups.includes(group)) &&
      (r.operations.includes('*') || r.operations.includes(operation)) &&
      r.resources.some((res) => res === '*' || res === resource || res === '*/*' || (res.endsWith('/*') && resource.startsWith(res.slice(0, -1)))),
  );
}

test('the webhook rules send every pod spec write: pods, their spec-changing subresources, every workload template', async () => {
  const { inventory } = await loadManifests([path.join(REPO_ROOT, 'deploy', 'kubeharden-webhook.yaml')]);
  const config = inventory.ofKind('ValidatingWebhookConfiguration')[0]!.raw as { webhooks: { rules: Rule[]; failurePolicy: string }[] };
  const rules = config.webhooks[0]!.rules;
  assert.equal(config.webhooks[0]!.failurePolicy, 'Fail');
  const writes: [string, string, string[]][] = [
    ['', 'pods', ['CREATE', 'UPDATE']],
    ['', 'pods/ephemeralcontainers', ['UPDATE']],
    ['', 'pods/resize', ['UPDATE']],
  ];
  // Every built-in workload kubeharden judges (PodTemplate runs no pods; `extensions` is long gone).
  const WORKLOADS: Record<string, [string, string]> = {
    ReplicationController: ['', 'replicationcontrollers'],
    ReplicaSet: ['apps', 'replicasets'],
    Deployment: ['apps', 'deployments'],
    StatefulSet: ['apps', 'statefulsets'],
    DaemonSet: ['apps', 'daemonsets'],
    Job: ['batch', 'jobs'],
    CronJob: ['batch', 'cronjobs'],
  };
  const builtIn = Object.entries(POD_BEARING).filter(([kind, variants]) => !['Pod', 'PodTemplate'].includes(kind) && variants.some((v) => v.versions === undefined && v.groups.some((g) => ['', 'apps', 'batch'].includes(g))));
  assert.deepEqual(builtIn.map(([kind]) => kind).sort(), Object.keys(WORKLOADS).sort(), 'the list above names every built-in workload');
  for (const [group, resource] of Object.values(WORKLOADS)) writes.push([group, resource, ['CREATE', 'UPDATE']]);
  const missing = writes.flatMap(([group, resource, ops]) => ops.filter((op) => !matches(rules, group, resource, op)).map((op) => `${op} ${group || 'core'}/${resource}`));
  assert.deepEqual(missing, []);
});
