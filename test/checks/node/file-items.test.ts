// CIS 1.1 and 4.1 on real folders: every file item passes on a hardened root and fails on a
// weak one (files too open, owned by a user), on a control-plane and a worker node.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { modeWithin } from '../../../src/checks/templates/file-item.js';
import { collectNodeFacts } from '../../../src/sources/node/collect.js';
import { buildRoot } from '../../sources/node/roots.js';
import { CONTROL_PLANE_FILE_ITEMS } from '../../../src/checks/controlplane/file-items.js';
import { WORKER_FILE_ITEMS } from '../../../src/checks/node/file-items.js';

const roots = {
  hardened: buildRoot('control-plane', 'hardened'),
  weak: buildRoot('control-plane', 'weak'),
  workerHardened: buildRoot('worker', 'hardened'),
  workerWeak: buildRoot('worker', 'weak'),
};
after(() => Object.values(roots).forEach((r) => rmSync(r, { recursive: true, force: true })));

const fileChecks = cisNodeChecks.filter((c) => /^(1\.1|4\.1)\./.test(c.cis.id));
const facts = Object.fromEntries(Object.entries(roots).map(([k, root]) => [k, collectNodeFacts({ root })])) as Record<keyof typeof roots, ReturnType<typeof collectNodeFacts>>;

test('the checks tested here are every row of the control-plane and worker file tables', () => {
  assert.deepEqual(fileChecks.map((c) => c.id).sort(), [...CONTROL_PLANE_FILE_ITEMS, ...WORKER_FILE_ITEMS].map((i) => i.id).sort());
});

test('the bitmask mode test of kube-bench: no permission bit outside the maximum, special bits always outside', () => {
  for (const ok of [0o600, 0o400, 0o200, 0o000]) assert.ok(modeWithin(ok, 0o600), ok.toString(8));
  for (const bad of [0o640, 0o644, 0o700, 0o4600, 0o1600]) assert.ok(!modeWithin(bad, 0o600), bad.toString(8));
  assert.ok(modeWithin(0o755, 0o755) && !modeWithin(0o757, 0o755));
});

for (const check of fileChecks) {
  test(`${check.cis.id} ${check.id}: passes on a hardened node, fails on a weak one`, () => {
    const worker = check.cis.id.startsWith('4.1.');
    const good = check.evaluateNode(worker ? facts.workerHardened : facts.hardened);
    assert.equal(good.status, 'pass', good.reason);
    assert.ok(good.evidence.length > 0 && good.evidence.every((e) => /^mode \d+ owner \S+:\S+$/.test(e.value ?? '')), JSON.stringify(good.evidence));
    const bad = check.evaluateNode(worker ? facts.workerWeak : facts.weak);
    assert.equal(bad.status, check.cis.automated ? 'fail' : 'warn', bad.reason);
    assert.ok(bad.findings.length > 0);
    for (const f of bad.findings) {
      assert.match(f.resource.kind, /^(File|Directory)$/);
      assert.equal(f.location.file, f.resource.name, 'a file finding points at the file');
      assert.match(f.message, /mode 6[46]{2}|mode 7[57]{2}|owned by alice:alice/);
    }
  });
}

test('owners are named from the root\'s own etc/passwd and etc/group', () => {
  const outcome = cisNodeChecks.find((c) => c.id === 'etcd-data-dir-owner')!.evaluateNode(facts.hardened);
  assert.equal(outcome.evidence[0]!.value, 'mode 700 owner etcd:etcd');
});

test('control-plane file items do not apply on a worker node: skip with the missing path', () => {
  const outcome = cisNodeChecks.find((c) => c.id === 'apiserver-manifest-mode')!.evaluateNode(facts.workerHardened);
  assert.equal(outcome.status, 'skip');
  assert.match(outcome.reason, /not found: \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml/);
});

test('file items skip in a manifest scan, where there is no host', () => {
  const outcome = fileChecks[0]!.evaluateNode({ mode: 'manifests', components: new Map(), notFound: new Map(), errors: [] });
  assert.equal(outcome.status, 'skip');
  assert.match(outcome.reason, /scan --node/);
});
