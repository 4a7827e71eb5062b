// Findings are kept compactly in large scans (issue 19): field paths as text read back only
// where a position is looked for, messages, remediations and fixes shared when equal, no
// pairs kept when nothing will look for lines. None of it may change a Result.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { formatPath, parsePath, type PathSegment } from '../../src/inventory/model.js';
import { fingerprint } from '../../src/result/fingerprint.js';
import { StringPool, flatString } from '../../src/result/compact-strings.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { runChecks } from '../../src/engine/run.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { REPO_ROOT } from '../helpers.js';

const segment: fc.Arbitrary<PathSegment> = fc.oneof(
  fc.nat({ max: 10_000 }),
  fc.constantFrom('spec', 'containers', 'securityContext', 'app.kubernetes.io/name', '0', '', 'a"b', 'x\\y', 'a]b', '["q"]', 'a.b', 'é', '\u2028'),
  fc.string(),
);

test('parsePath reads back exactly what formatPath wrote, for any segments', () => {
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 12 }), (segments) => {
      assert.deepEqual(parsePath(formatPath(segments)), segments);
    }),
    { numRuns: 2000 },
  );
});

test('parsePath of the paths the checks write', () => {
  assert.deepEqual(parsePath('spec.template.spec.containers[0].securityContext.runAsNonRoot'), ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot']);
  assert.deepEqual(parsePath('metadata.labels["app.kubernetes.io/name"]'), ['metadata', 'labels', 'app.kubernetes.io/name']);
  assert.deepEqual(parsePath('data["0"]'), ['data', '0']);
  assert.deepEqual(parsePath(''), []);
});

test('the fingerprint is the first 16 hex digits of the SHA-256, as before', () => {
  const object = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' };
  const expected = createHash('sha256').update(['some-check', 'apps', 'Deployment', 'shop', 'web', 'spec.replicas'].join('\u0000')).digest('hex').slice(0, 16);
  assert.equal(fingerprint('some-check', object, 'spec.replicas'), expected);
  assert.equal(fingerprint('some-check', { ...object, namespace: undefined }, 'x'), createHash('sha256').update(['some-check', 'apps', 'Deployment', '', 'web', 'x'].join('\u0000')).digest('hex').slice(0, 16));
});

test('a pool gives one copy per distinct string and per distinct JSON value', () => {
  const pool = new StringPool();
  const name = 'web';
  const a = pool.intern(`container "${name}" runs as root`);
  const b = pool.intern(`container "${name}" runs as root`);
  assert.equal(a, 'container "web" runs as root');
  assert.equal(b, a);
  const fixA = [{ op: 'add', path: '/spec/x', value: { drop: ['ALL'] } }];
  const fixB = [{ op: 'add', path: '/spec/x', value: { drop: ['ALL'] } }];
  const fixC = [{ op: 'add', path: '/spec/y', value: { drop: ['ALL'] } }];
  assert.equal(pool.internValue(fixA), fixA);
  assert.equal(pool.internValue(fixB), fixA, 'an equal fix is the first one');
  assert.equal(pool.internValue(fixC), fixC, 'a different fix is its own');
  assert.equal(flatString('a' + name), 'aweb');
});

test('on the real corpus: the pairs give the paths the checks reported, and not keeping them changes no finding', async () => {
  const { inventory } = await loadManifests([path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real')]);
  const kept = runChecks(inventory, ALL_CHECKS, { type: 'manifests' }, { now: new Date('2026-12-01') });
  const notKept = runChecks(inventory, ALL_CHECKS, { type: 'manifests' }, { now: new Date('2026-12-01') }, { locate: false });
  assert.ok(kept.result.findings.length > 10_000);
  assert.equal(kept.located.length, kept.result.findings.length);
  assert.equal(notKept.located.length, 0);
  assert.deepEqual(notKept.result, kept.result);
  for (const entry of kept.located) {
    assert.deepEqual(entry.path, [...entry.object.source.pathInDoc, ...parsePath(entry.finding.location.path)]);
    assert.equal(formatPath(entry.path.slice(entry.object.source.pathInDoc.length)), entry.finding.location.path);
  }
  // An item of a `kind: List` keeps its place in the document in front of its own path.
  const inList = kept.located.find((l) => l.object.source.pathInDoc.length > 0);
  if (inList) assert.deepEqual(inList.path.slice(0, 2), inList.object.source.pathInDoc);
});
