// RBAC oracle: every Role, ClusterRole and binding of the corpus (test/fixtures/corpus,
// test/fixtures/rbac) and of the demo cluster is created in a real kube-apiserver; thousands of
// generated (subject, verb, resource, subresource, namespace, name) requests are asked of its
// authorizer with SubjectAccessReview and of kubeharden's engine through the answers of
// `rbac can` (effective rules) and `rbac who-can` (subjects): 0 differences allowed.
// The clusterrole-aggregation controller runs (kube-controller-manager with only that controller),
// so admin/edit/view and the corpus' aggregated roles hold what a real cluster gives them.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { RbacEngine, type Identity } from '../../src/analysis/rbac/engine.js';
import { effectivePermissions, whoCan } from '../../src/analysis/rbac/queries.js';
import { ruleAllows, type Request } from '../../src/analysis/rbac/rules.js';
import { describeRequest } from '../../src/analysis/rbac/request.js';
import type { Inventory } from '../../src/inventory/inventory.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { REPO_ROOT, inventoryFromYaml } from '../helpers.js';
import { mapLimit } from './client.js';
import { controlPlaneUnavailable, startPlane, type Plane } from './harness.js';
import { generateRequests, subjectAccessReview, type OracleRequest } from './rbac-requests.js';
import { applyRbacObjects, startAggregationController, waitForAggregation, type Applied } from './rbac-apply.js';

const skip = controlPlaneUnavailable();
const INPUTS = ['test/fixtures/corpus', 'test/fixtures/rbac', 'examples/demo-cluster'].map((p) => path.join(REPO_ROOT, p));

/** `rbac can`'s answer decides a request: system:masters, or one effective rule in scope that allows it. */
function allowedByCan(engine: RbacEngine, q: OracleRequest): boolean {
  const answer = effectivePermissions(engine, q.subject!, q.identity.groups);
  if (answer.unrestricted) return true;
  const ns = q.request.type === 'resource' ? q.request.namespace : '';
  return answer.rules.some((r) => (r.scope === '' || r.scope === ns) && ruleAllows(r, q.request));
}

/** `rbac who-can`'s answer decides it: a subject it lists is this user, a group of it, or this service account. */
function allowedByWhoCan(engine: RbacEngine, identity: Identity, request: Request): boolean {
  return whoCan(engine, request).subjects.some((s) => {
    if (s.kind === 'Group') return identity.groups.includes(s.name);
    const user = s.kind === 'ServiceAccount' ? `system:serviceaccount:${s.namespace}:${s.name}` : s.name;
    return user !== '' && user === identity.user;
  });
}

describe('RBAC oracle: kubeharden equals SubjectAccessReview of a real kube-apiserver', { skip }, () => {
  let plane: Plane;
  let stopController: (() => void) | undefined;
  let manifestInventory: Inventory;
  let liveInventory: Inventory;
  let applied: Applied;

  before(async () => {
    const { inventory } = await loadManifests(INPUTS);
    plane = await startPlane();
    applied = await applyRbacObjects(plane, inventory);
    manifestInventory = inventoryFromYaml(applied.yaml, 'applied-rbac.yaml');
    stopController = startAggregationController(plane);
    const liveYaml = await waitForAggregation(plane);
    liveInventory = inventoryFromYaml(liveYaml, 'live-rbac.yaml');
  });
  after(async () => {
    stopController?.();
    await plane?.stop();
  });

  for (const [name, which] of [
    ['objects as written (manifest scan, built-in roles from kubeharden\'s table)', 'manifest'],
    ['objects as the server holds them (live scan)', 'live'],
  ] as const) {
    test(`${name}: rbac can and rbac who-can answer every request as the authorizer`, async () => {
      const inventory = which === 'manifest' ? manifestInventory : liveInventory;
      const engine = RbacEngine.fromInventory(inventory);
      const requests = generateRequests(engine, which === 'manifest' ? 1 : 2, 12);
      assert.ok(requests.length >= 2000, `generated ${requests.length} requests`);
      const answers = await mapLimit(requests, 16, async (q) => {
        const res = await plane.client.must('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', subjectAccessReview(q));
        return Boolean(res.body.status?.allowed);
      });
      const differences: string[] = [];
      let allowed = 0;
      requests.forEach((q, i) => {
        const real = answers[i] as boolean;
        if (real) allowed++;
        const engineSays = engine.authorize(q.identity, q.request).allowed;
        const canSays = allowedByCan(engine, q);
        const whoCanSays = allowedByWhoCan(engine, q.identity, q.request);
        if (engineSays !== real || canSays !== real || whoCanSays !== real) {
          differences.push(
            `${q.identity.user || '(no user)'} [${q.identity.groups.join(',')}] ${describeRequest(q.request)}: server ${real}, authorize ${engineSays}, can ${canSays}, who-can ${whoCanSays}`,
          );
        }
      });
      process.stderr.write(
        `rbac oracle (${which}): ${requests.length} requests (${allowed} allowed by the server), ${applied.accepted} objects applied, ` +
          `${applied.refused.length} refused by the server, ${differences.length} differences\n`,
      );
      assert.ok(allowed > requests.length / 10 && allowed < requests.length - requests.length / 10, `a mix of allowed (${allowed}) and denied requests`);
      assert.deepEqual(differences.slice(0, 25), [], `${differences.length} differences`);
    });
  }
});
