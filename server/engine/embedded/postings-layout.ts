/**
 * The integer layouts shared by the postings index, its snapshot and its
 * query loop, and the small typed-array helpers they are built with.
 */

/** Posting layout: term frequency in bits 0-11, field in 12-14, field length in 15-30 (each capped). */
const MAX_TF = 0xfff;
const MAX_LEN = 0xffff;

/**
 * One posting's second word. The field length rides along so the hot loop
 * never looks it up; caps (4095 occurrences, 65535 distinct words in a field)
 * are far beyond any article and change BM25 by nothing measurable.
 */
export function packPosting(field: number, tf: number, length: number): number {
  return (Math.min(length, MAX_LEN) << 15) | (field << 12) | Math.min(tf, MAX_TF);
}

export function postingField(packed: number): number {
  return (packed >>> 12) & 0b111;
}

export function postingTf(packed: number): number {
  return packed & MAX_TF;
}

export function postingLength(packed: number): number {
  return packed >>> 15;
}

/**
 * Forward lists of a CSR segment: for each document, `term * fields + field`
 * of every posting it has, at `entries[start[d] .. start[d + 1])`.
 */
export function invertPostings(
  postStart: Int32Array,
  post: Int32Array,
  docs: number,
  fields: number,
): { start: Int32Array; entries: Int32Array } {
  const start = new Int32Array(docs + 1);
  const postings = post.length / 2;
  for (let i = 0; i < postings; i++) bump(start, (post[2 * i] as number) + 1, 1);
  for (let d = 0; d < docs; d++) start[d + 1] = (start[d + 1] as number) + (start[d] as number);
  const entries = new Int32Array(postings);
  const cursor = start.slice(0, docs);
  for (let t = 0; t < postStart.length - 1; t++) {
    for (let i = postStart[t] as number; i < (postStart[t + 1] as number); i++) {
      entries[bump(cursor, post[2 * i] as number, 1)] = t * fields + postingField(post[2 * i + 1] as number);
    }
  }
  return { start, entries };
}

/** A growable run of postings (pairs, like the main segment's): `data[0 .. length)`. */
export type Run = { data: Int32Array; length: number };

/** An integer array a reader may index but not change (a typed array, seen read-only). */
export type ReadonlyInts = { readonly [i: number]: number; readonly length: number };

/**
 * One CSR segment from a main segment and a delta segment (`delta`: term ->
 * run of pairs), keeping only documents with `remap[d] >= 0`, renumbered to
 * `remap[d]`. Main entries go first, then delta ones: delta documents have
 * higher ids, so each run stays in document order.
 */
export function mergeSegments(
  postStart: Int32Array,
  post: Int32Array,
  delta: Map<number, Run>,
  remap: Int32Array,
  termCount: number,
): { postStart: Int32Array<ArrayBuffer>; post: Int32Array<ArrayBuffer> } {
  const mainTerms = postStart.length - 1;
  const start = new Int32Array(termCount + 1);
  for (let t = 0; t < mainTerms; t++) {
    for (let i = postStart[t] as number; i < (postStart[t + 1] as number); i++) {
      if ((remap[post[2 * i] as number] as number) >= 0) bump(start, t + 1, 1);
    }
  }
  for (const [t, run] of delta) {
    for (let j = 0; j < run.length; j += 2) if ((remap[run.data[j] as number] as number) >= 0) bump(start, t + 1, 1);
  }
  for (let t = 0; t < termCount; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
  const next = new Int32Array(2 * (start[termCount] as number));
  const cursor = start.slice(0, termCount);
  for (let t = 0; t < mainTerms; t++) {
    for (let i = postStart[t] as number; i < (postStart[t + 1] as number); i++) {
      const nd = remap[post[2 * i] as number] as number;
      if (nd < 0) continue;
      const at = bump(cursor, t, 1);
      next[2 * at] = nd;
      next[2 * at + 1] = post[2 * i + 1] as number;
    }
  }
  for (const [t, run] of delta) {
    for (let j = 0; j < run.length; j += 2) {
      const nd = remap[run.data[j] as number] as number;
      if (nd < 0) continue;
      const at = bump(cursor, t, 1);
      next[2 * at] = nd;
      next[2 * at + 1] = run.data[j + 1] as number;
    }
  }
  return { postStart: start, post: next };
}

type IntArray = Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** `array[i] += by`, returning the value before (a postfix increment the index-access checks accept). */
export function bump(array: Int32Array, i: number, by: number): number {
  const before = array[i] as number;
  array[i] = before + by;
  return before;
}

/** A copy at least `n` long (doubling), contents kept. */
export function grow<T extends IntArray>(array: T, n: number): T {
  const next = new (array.constructor as new (length: number) => T)(Math.max(n, array.length * 2));
  next.set(array);
  return next;
}

/** Keeps the rows of live documents (`stride` values each), in their new order. */
export function compactArray<T extends IntArray>(array: T, remap: Int32Array, live: number, stride: number): T {
  const next = new (array.constructor as new (length: number) => T)(Math.max(16, live) * stride);
  for (let d = 0; d < remap.length; d++) {
    const nd = remap[d] as number;
    if (nd >= 0) next.set(array.subarray(d * stride, (d + 1) * stride), nd * stride);
  }
  return next;
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One list in code-unit order from two lists in that order. */
export function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = (a[i] as string) <= (b[j] as string) ? (a[i++] as string) : (b[j++] as string);
  while (i < a.length) out[k++] = a[i++] as string;
  while (j < b.length) out[k++] = b[j++] as string;
  return out;
}

/** First position in `sorted` whose term is not below `term`. */
export function lowerBound(sorted: readonly string[], term: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < term) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
