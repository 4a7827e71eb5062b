// The edit distance behind typo hints (service-selects-pods, references, config keys) is
// computed in three rows with an early stop when a limit is given; it must agree with the
// textbook table of optimal string alignment for every pair, and with the limit, say "more
// than the limit" exactly when the distance is.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { editDistance, isNearMiss, nearestName } from '../../src/analysis/near-miss.js';

/** Optimal string alignment as a full table (Levenshtein plus swaps of neighbours). */
function tableDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 9 });

test('editDistance equals the full-table distance, and with a limit caps it exactly', () => {
  fc.assert(
    fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, limit) => {
      const exact = tableDistance(a, b);
      assert.equal(editDistance(a, b), exact);
      assert.equal(editDistance(a, b, limit), exact > limit ? limit + 1 : exact);
    }),
    { numRuns: 5000 },
  );
});

test('typo hints: near misses and the nearest name', () => {
  assert.equal(editDistance('frontend', 'frontned'), 1); // a swap
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(isNearMiss('frontend', 'frontned'), true);
  assert.equal(isNearMiss('web', 'Web'), true);
  assert.equal(isNearMiss('ab', 'ac'), false, 'too short to tell');
  assert.equal(isNearMiss('payments', 'shipping'), false);
  assert.equal(nearestName('paymnets', ['shipping', 'payments', 'payment']), 'payments');
  assert.equal(nearestName('orders', ['shipping', 'payments']), undefined);
});
