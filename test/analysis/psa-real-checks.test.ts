// The Pod Security Admission preview and label proposals with the real PSS checks (their own
// tests use small test doubles), on the demo cluster whose workloads were reviewed by hand:
// payments is hardened to restricted; shop's CronJob adds NET_ADMIN and SYS_ADMIN (not
// baseline); logging's agent is privileged; default's debug pod binds a hostPort.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadManifests } from '../../src/sources/manifests.js';
import { proposePsaLabels } from '../../src/queries/psa-preview.js';
import { REPO_ROOT } from '../helpers.js';

test('proposed enforce levels on the demo cluster use the real PSS checks', async () => {
  const { inventory } = await loadManifests([path.join(REPO_ROOT, 'examples', 'demo-cluster')]);
  const proposals = proposePsaLabels(inventory);
  assert.deepEqual(
    proposals.map((p) => [p.namespace, p.level]),
    [['default', 'privileged'], ['logging', 'privileged'], ['payments', 'restricted'], ['shop', 'privileged']],
  );
  const shop = proposals.find((p) => p.namespace === 'shop')!;
  assert.equal(shop.blockedAt?.level, 'baseline');
  assert.ok(shop.blockedAt?.rejections.some((r) => JSON.stringify(r).includes('NET_ADMIN')));
});
