import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelSelector } from '../../../src/analysis/netpol/selector.js';

function sel(value: unknown) {
  const parsed = parseLabelSelector(value, ['spec', 'podSelector']);
  if ('problems' in parsed) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.selector;
}

test('valid label syntax is accepted: prefixes, dots, empty values', () => {
  assert.ok(sel({ matchLabels: { 'app.kubernetes.io/name': 'web', 'k8s-app': 'kube-dns', tier: '' } }).matches({ 'app.kubernetes.io/name': 'web', 'k8s-app': 'kube-dns', tier: '' }));
});

test('empty and absent selectors match everything', () => {
  assert.ok(sel({}).matches({}));
  assert.ok(sel(undefined).matchesAll);
  assert.ok(sel({ matchLabels: {}, matchExpressions: [] }).matches({ a: 'b' }));
});

test('matchLabels and matchExpressions must all hold', () => {
  const s = sel({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] });
  assert.ok(s.matches({ app: 'web', tier: 'edge' }));
  assert.ok(!s.matches({ app: 'web', tier: 'back' }));
  assert.ok(!s.matches({ tier: 'edge' }));
  assert.equal(s.text, 'app=web,tier in (front,edge)');
});

test('NotIn and DoesNotExist hold for objects lacking the key; Exists needs it', () => {
  assert.ok(sel({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['b'] }] }).matches({}));
  assert.ok(!sel({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['b'] }] }).matches({ team: 'b' }));
  assert.ok(sel({ matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] }).matches({ app: 'x' }));
  assert.ok(!sel({ matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] }).matches({ legacy: '' }));
  assert.ok(sel({ matchExpressions: [{ key: 'legacy', operator: 'Exists' }] }).matches({ legacy: '' }));
  assert.ok(!sel({ matchExpressions: [{ key: 'legacy', operator: 'Exists' }] }).matches({}));
});

test('invalid operators and value lists are rejected with the path of the expression', () => {
  const cases: [unknown, RegExp][] = [
    [{ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }, /operator "Equals" is not valid/],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, /needs at least one value/],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, /must not have values/],
    [{ matchExpressions: [{ operator: 'Exists' }] }, /non-empty `key`/],
    [{ matchLabels: ['a'] }, /matchLabels must be a mapping/],
    ['app=web', /must be a mapping/],
    [{ matchLabels: { 'app name': 'web' } }, /"app name" is not a valid label key/],
    [{ matchLabels: { 'Example.com/app': 'web' } }, /not a valid label key/],
    [{ matchLabels: { app: 'web server' } }, /"web server" is not a valid value for label "app"/],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['-web'] }] }, /not a valid value/],
  ];
  for (const [value, message] of cases) {
    const parsed = parseLabelSelector(value, ['spec', 'podSelector']);
    assert.ok('problems' in parsed, JSON.stringify(value));
    assert.match(parsed.problems[0]!.message, message);
  }
  const parsed = parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'in', values: ['x'] }] }, ['spec', 'podSelector']);
  assert.ok('problems' in parsed);
  assert.deepEqual(parsed.problems[0]!.path, ['spec', 'podSelector', 'matchExpressions', 1]);
});
