import { FIELD_BITS } from './postings-blocks.js';

/** Search helpers of the block pass (block-search.ts): no state of their own. */

/** The first entry after `j` (whose block is below `block`) with a block of at least `block`: galloping, then bisection. */
export function firstEntryFrom(entryBlock: Int32Array, j: number, end: number, block: number): number {
  let lo = j;
  let step = 1;
  while (lo + step < end && (entryBlock[lo + step] as number) >>> FIELD_BITS < block) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, end);
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((entryBlock[mid] as number) >>> FIELD_BITS < block) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The `count`-th largest of `bounds[0 .. n)` (quickselect in `work`); -Infinity when there are no more than `count`. */
export function kthLargest(bounds: Float64Array, work: Float64Array, n: number, count: number): number {
  if (count >= n) return Number.NEGATIVE_INFINITY;
  const a = work;
  a.set(bounds.subarray(0, n));
  const target = count - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) > pivot) i++;
      while ((a[j] as number) < pivot) j--;
      if (i <= j) {
        const tmp = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = tmp;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target] as number;
}
