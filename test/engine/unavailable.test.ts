// A kind the source could not read (a 403 from a live cluster) turns the checks that read it
// into skip, or a fail marked incomplete — never a pass.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChecks } from '../../src/engine/run.js';
import type { InventoryCheck } from '../../src/checks/types.js';
import { containerReadOnlyRootFilesystem } from '../../src/checks/workload/container-read-only-root-filesystem.js';
import { inventoryFromYaml } from '../helpers.js';

const READ_ONLY_POD = `
apiVersion: v1
kind: Pod
metadata: {name: ok, namespace: app}
spec:
  containers: [{name: c, image: nginx:1.27, securityContext: {readOnlyRootFilesystem: true}}]
`;
const WRITABLE_POD = `
apiVersion: v1
kind: Pod
metadata: {name: writable, namespace: app}
spec:
  containers: [{name: c, image: nginx:1.27}]
`;
const target = { type: 'cluster' as const };
const forbiddenDeployments = { kind: 'Deployment', reason: 'forbidden (403)', permission: 'list deployments (apiGroup "apps")' };

test('without unavailable kinds a passing check passes', () => {
  const { result } = runChecks(inventoryFromYaml(READ_ONLY_POD), [containerReadOnlyRootFilesystem], target);
  assert.equal(result.checks[0]!.status, 'pass');
});

test('a pod check that found nothing while Deployments were unreadable is a skip naming the permission', () => {
  const inventory = inventoryFromYaml(READ_ONLY_POD);
  inventory.unavailable.set('Deployment', forbiddenDeployments);
  const { result } = runChecks(inventory, [containerReadOnlyRootFilesystem], target);
  assert.equal(result.checks[0]!.status, 'skip');
  assert.equal(result.checks[0]!.reason, 'could not read Deployment (forbidden (403); needs list deployments (apiGroup "apps"))');
});

test('a pod check that found a problem still fails, marked incomplete', () => {
  const inventory = inventoryFromYaml(WRITABLE_POD);
  inventory.unavailable.set('Deployment', forbiddenDeployments);
  const { result } = runChecks(inventory, [containerReadOnlyRootFilesystem], target);
  assert.equal(result.checks[0]!.status, 'fail');
  assert.match(result.checks[0]!.reason!, /^incomplete: could not read Deployment/);
  assert.equal(result.findings.length, 1);
});

const readsNamespaces: InventoryCheck = {
  id: 'test-reads-namespaces', title: 't', severity: 'low', category: 'workload', controls: ['nsa:P1'],
  rationale: '', remediation: '', appliesTo: 'Namespaces', scope: 'inventory',
  evaluate: (inventory) => ({ evaluated: inventory.ofKind('Namespace').length + 1, violations: [] }),
};

test('an unavailable kind the check neither reads nor declares does not affect it', () => {
  const inventory = inventoryFromYaml(READ_ONLY_POD);
  inventory.unavailable.set('Secret', { kind: 'Secret', reason: 'forbidden (403)' });
  const { result } = runChecks(inventory, [readsNamespaces, containerReadOnlyRootFilesystem], target);
  assert.deepEqual(result.checks.map((c) => c.status), ['pass', 'pass']);
});

test('a kind read through the inventory, or declared in needs, is noticed', () => {
  const inventory = inventoryFromYaml(READ_ONLY_POD);
  inventory.unavailable.set('Namespace', { kind: 'Namespace', reason: 'forbidden (403)' });
  inventory.unavailable.set('Node', { kind: 'Node', reason: 'not served' });
  const declares = { ...readsNamespaces, id: 'test-needs-nodes', evaluate: () => ({ evaluated: 1, violations: [] }), needs: ['Node'] };
  const { result } = runChecks(inventory, [readsNamespaces, declares], target);
  assert.deepEqual(result.checks.map((c) => [c.status, c.reason]), [
    ['skip', 'could not read Namespace (forbidden (403))'],
    ['skip', 'could not read Node (not served)'],
  ]);
});

test('a check that walks every object is affected by any unavailable kind', () => {
  const inventory = inventoryFromYaml(READ_ONLY_POD);
  inventory.unavailable.set('Secret', { kind: 'Secret', reason: 'forbidden (403)' });
  const walksAll = { ...readsNamespaces, id: 'test-walks-all', evaluate: (inv: typeof inventory) => ({ evaluated: inv.objects.length, violations: [] }) };
  const { result } = runChecks(inventory, [walksAll], target);
  assert.equal(result.checks[0]!.status, 'skip');
});
