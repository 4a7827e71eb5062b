// Near misses between names: how checks tell a typo (`app: frontned`) from a reference to
// something the input simply does not hold.

/** Same but for case, or at most two single-character edits (insert, delete, change, swap), for words long enough to tell. */
export function isNearMiss(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  return Math.min(a.length, b.length) >= 3 && editDistance(a, b, 2) <= 2;
}

/** The candidate a name most likely meant, when it is a near miss of exactly one best candidate. */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (!isNearMiss(name, c)) continue;
    const d = c.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/**
 * Optimal string alignment distance: Levenshtein plus swaps of neighbours (3 when the lengths
 * differ by more than 2). With `limit`, any distance above it is returned as `limit + 1` as soon
 * as a row shows it (every Service is compared with the labels of every pod template of its
 * namespace: three rows of numbers instead of a table per pair, and an early stop, cut that
 * check's time on a large input by more than half).
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > 2) return Math.min(3, limit + 1);
  const width = b.length + 1;
  let beforePrevious = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) best = Math.min(best, beforePrevious[j - 2]! + 1);
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    // No row's minimum is below the one before it (a swap's cell is at least the diagonal
    // cell of the row before), so the distance is at least this row's minimum.
    if (rowMin > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  const distance = previous[b.length]!;
  return distance > limit ? limit + 1 : distance;
}
