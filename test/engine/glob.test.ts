// Exception and selector globs (`*` matches any run of characters) are matched without a
// regular expression: `*a*a*a*a*a*a*a*a*b` against a long run of `a` was exponential for the
// backtracking engine the old translation to a RegExp used.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch } from '../../src/engine/selectors.js';

test('globs match as before', () => {
  const cases: [string, string, boolean][] = [
    ['web', 'web', true], ['web', 'web2', false], ['*', '', true], ['*', 'anything', true],
    ['web-*', 'web-1', true], ['web-*', 'web', false], ['*-prod', 'shop-prod', true], ['*-prod', 'shop-prod-2', false],
    ['a*b*c', 'abc', true], ['a*b*c', 'aXbYc', true], ['a*b*c', 'acb', false], ['**', 'x', true], ['a**b', 'ab', true],
    ['kube-*', 'kube-system', true], ['*system*', 'kube-system-x', true], ['.*', 'ab', false], ['a.b', 'aXb', false],
  ];
  for (const [pattern, value, expected] of cases) assert.equal(globMatch(pattern, value), expected, `${pattern} ~ ${value}`);
});

test('a pattern built to backtrack is matched in one pass', () => {
  const pattern = '*a'.repeat(40) + '*b';
  const value = 'a'.repeat(50_000);
  assert.equal(globMatch(pattern, value), false);
  assert.equal(globMatch(pattern, value + 'b'), true);
});
