// Which checks the webhook runs: the pod checks that read nothing but their own object. Proven
// on every pod-bearing object of the corpus and the demo cluster by the inventory's read
// tracking, so a pod check that starts looking at other objects fails here until it is listed
// in NEEDS_OTHER_OBJECTS.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { makeCheckContext } from '../../src/engine/context.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { NEEDS_OTHER_OBJECTS, SINGLE_OBJECT_CHECKS } from '../../src/webhook/single-object-checks.js';
import { REPO_ROOT } from '../helpers.js';

test('the webhook runs every pod check but those listed as needing other objects, and no other scope', () => {
  const pod = ALL_CHECKS.filter((c) => c.scope === 'pod').map((c) => c.id);
  assert.deepEqual(SINGLE_OBJECT_CHECKS.map((c) => c.id).sort(), pod.filter((id) => !(id in NEEDS_OTHER_OBJECTS)).sort());
  for (const id of Object.keys(NEEDS_OTHER_OBJECTS)) assert.ok(pod.includes(id), `${id} is a pod check`);
  assert.ok(SINGLE_OBJECT_CHECKS.length >= 25);
});

test('the checks it runs read no other object; the ones it leaves out do', async () => {
  const { inventory: all } = await loadManifests([path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real'), path.join(REPO_ROOT, 'examples', 'demo-cluster')]);
  const readsElsewhere = new Set<string>();
  let pods = 0;
  for (const object of all.objects) {
    // Each object alone, as the webhook sees it.
    const inventory = new Inventory();
    inventory.add(object);
    const ctx = makeCheckContext(inventory, {});
    for (const target of inventory.pods) {
      pods++;
      for (const check of ALL_CHECKS) {
        if (check.scope !== 'pod') continue;
        const { read } = inventory.trackReads(() => check.evaluate(target, ctx));
        if (read === 'all' || read.size > 0) readsElsewhere.add(check.id);
      }
    }
  }
  assert.ok(pods > 700, `${pods} pod specs`);
  assert.deepEqual([...readsElsewhere].sort(), Object.keys(NEEDS_OTHER_OBJECTS).sort());
});
