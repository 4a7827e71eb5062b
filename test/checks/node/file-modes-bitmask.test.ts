// File modes are judged as a bitmask (kube-bench's `permissions` test), not by number: a mode
// below the limit numerically can still grant a bit the limit does not. 0444 (world-readable)
// and 0066 (group and others read-write, the owner nothing) are both "smaller" than 0600, and
// both must fail against it. A numeric comparison would pass them.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { modeWithin } from '../../../src/checks/templates/file-item.js';
import { collectNodeFacts } from '../../../src/sources/node/collect.js';
import { buildRoot } from '../../sources/node/roots.js';

const root = buildRoot('control-plane', 'hardened');
after(() => rmSync(root, { recursive: true, force: true }));

test('modes numerically below the maximum but outside its bits fail', () => {
  for (const bad of [0o444, 0o066, 0o060, 0o006, 0o500, 0o100, 0o004, 0o040, 0o2000, 0o1000]) {
    assert.ok(!modeWithin(bad, 0o600), `${bad.toString(8)} against 600`);
  }
  assert.ok(!modeWithin(0o077, 0o644) && !modeWithin(0o711, 0o700) && !modeWithin(0o055, 0o644));
  for (const ok of [0o600, 0o400, 0o200, 0o000]) assert.ok(modeWithin(ok, 0o600));
});

for (const [mode, file, checkId] of [
  [0o444, 'etc/kubernetes/admin.conf', 'admin-kubeconfig-mode'],
  [0o066, 'etc/kubernetes/manifests/kube-apiserver.yaml', 'apiserver-manifest-mode'],
] as const) {
  test(`${checkId} fails on a real file of mode ${mode.toString(8).padStart(4, '0')} (numerically below 0600)`, () => {
    const check = cisNodeChecks.find((c) => c.id === checkId)!;
    assert.equal(check.evaluateNode(collectNodeFacts({ root })).status, 'pass', 'hardened first');
    const full = path.join(root, file);
    chmodSync(full, mode);
    try {
      const outcome = check.evaluateNode(collectNodeFacts({ root }));
      assert.equal(outcome.status, 'fail', outcome.reason);
      assert.match(outcome.findings[0]!.message, new RegExp(`has mode ${mode.toString(8).padStart(3, '0')}; make it 600 or more restrictive`));
    } finally {
      chmodSync(full, 0o600);
    }
  });
}
