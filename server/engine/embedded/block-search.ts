import type { EngineQuery } from '../search-engine.js';
import { firstEntryFrom, kthLargest } from './block-select.js';
import { FIELD_BITS, FIELD_MASK, type PostingsBlocks } from './postings-blocks.js';
import { FIELD_COUNT, GATE } from './postings-index.js';
import { DELTA, K1, MAX_PRIOR, type Plan, scan, scoreRegion, type Top } from './postings-scan.js';
import type { PostingsView } from './postings-view.js';
import type { Scratch } from './query-scratch.js';

/**
 * The main segment, scored article by article as far as per-article bounds
 * allow (postings-blocks.ts): the top k is exactly that of scoring every
 * posting, while the articles that cannot reach it are never scored.
 *
 * 1. `boundBlocks` walks each query term's block entries (not its postings)
 *    and bounds every article it occurs in: per field, the term's weight times
 *    BM25's largest possible tf part (its largest frequency, its shortest
 *    field), summed over the terms present, times the number of query terms
 *    present (the coordination factor), for the article document and for its
 *    best section (times the largest kind prior). Only articles a typed word
 *    occurs in are candidates.
 * 2. The candidates with the largest bounds are scored exactly until the top
 *    k is full; its k-th score is then a floor no other article may fall
 *    below and still enter.
 * 3. The candidates whose bound reaches the floor are scored in order of
 *    bound, a few at a time, the floor rising as they are, until the next
 *    bound falls below it. The rest are counted in `total`, which is then an
 *    estimate: a candidate has a typed word somewhere in its documents, but a
 *    filter or the scope may hide the documents it occurs in.
 *
 * Documents are scored by the same code and in the same order as a full
 * scan (postings-scan.ts), so hits and scores are identical, bit for bit.
 * Returns how many candidates were left unscored.
 *
 * Measured (docs/benchmarks.md): on 10,000 articles of real questions a
 * query's typed words occur in about half the articles; a few dozen are scored.
 */
export function scoreBlocks(
  view: PostingsView,
  s: Scratch,
  plan: Plan,
  top: Top,
  blocks: PostingsBlocks,
  scope: EngineQuery['scope'],
): number {
  const b = blockScratchFor(blocks);
  let remaining = boundBlocks(view, s, plan, blocks, b);
  let unscored = 0;
  let wanted = top.k;
  while (remaining > 0) {
    const floor = floorOf(top);
    if (floor > Number.NEGATIVE_INFINITY) {
      // The floor only rises: a candidate below it now never enters.
      unscored += takeAtLeast(b, remaining, floor);
      remaining = b.taken;
      moveTakenBack(b, remaining);
      if (remaining === 0) break;
    }
    // Until the top k is full, the best bounds by growing batches; then best first, a chunk at a time.
    const size = floor > Number.NEGATIVE_INFINITY ? CHUNK : wanted;
    wanted *= 4;
    remaining = takeAtLeast(b, remaining, Math.max(floor, kthLargest(b.bounds, b.pick, remaining, size)));
    scoreBatch(view, s, plan, top, blocks, b, b.taken, scope);
  }
  return unscored;
}

/** Candidates scored together after the top k is full: small, so the floor rises often; not tiny, so entries are walked in step. */
const CHUNK = 16;

type BlockScratch = {
  stamp: number;
  serial: number;
  /**
   * Per block, BLOCK_STRIDE numbers on half a cache line: the stamp of the
   * query that last touched it, the bound sum of its article document's
   * fields and of its sections' fields, and the number of query terms present
   * in each (article document + 256 × sections).
   */
  state: Float64Array;
  /** Per block: the last (query, query term) counted in the article document and in the sections, for terms of several expansions. */
  seen: Int32Array;
  /** The blocks this query touched, in order of first touch, `0 .. nTouched`. */
  touched: Int32Array;
  nTouched: number;
  /** Unscored candidates and their bounds. */
  candidates: Int32Array;
  bounds: Float64Array;
  /** Work space: bounds to select from, and the candidates taken out (to be scored), `0 .. taken`. */
  pick: Float64Array;
  batch: Int32Array;
  batchBounds: Float64Array;
  taken: number;
  /** Per field: a term's bound; per field mask: the sums over the article document's and a section's fields. */
  perField: Float64Array;
  articleSum: Float64Array;
  sectionSum: Float64Array;
};

const BLOCK_STRIDE = 4;
const STAMP = 0;
const SUM_A = 1;
const SUM_S = 2;
const COUNTS = 3;
const SECTION_COUNT = 256;

const scratches = new WeakMap<PostingsBlocks, BlockScratch>();

function blockScratchFor(blocks: PostingsBlocks): BlockScratch {
  let b = scratches.get(blocks);
  if (!b) {
    const n = blocks.blockStart.length - 1;
    b = {
      stamp: 0,
      serial: 0,
      state: new Float64Array(n * BLOCK_STRIDE),
      seen: new Int32Array(2 * n),
      touched: new Int32Array(n),
      nTouched: 0,
      candidates: new Int32Array(n),
      bounds: new Float64Array(n),
      pick: new Float64Array(n),
      batch: new Int32Array(n),
      batchBounds: new Float64Array(n),
      taken: 0,
      perField: new Float64Array(FIELD_COUNT),
      articleSum: new Float64Array(8),
      sectionSum: new Float64Array(4),
    };
    scratches.set(blocks, b);
  }
  if (b.serial > 0x7fff0000) {
    b.seen.fill(0);
    b.serial = 0;
  }
  b.stamp++;
  return b;
}

/** Bounds every article a query term occurs in; keeps those a typed word occurs in as candidates. Returns their number. */
function boundBlocks(view: PostingsView, s: Scratch, plan: Plan, blocks: PostingsBlocks, b: BlockScratch): number {
  const { entryStart, maxTf, minLen } = blocks;
  const { perField, articleSum, sectionSum } = b;
  // The plan lists the typed words first: the blocks touched by then are the candidates.
  let candidates = 0;
  b.nTouched = 0;
  const serial = b.serial;
  b.serial += plan.queryTerms + 1;
  for (let i = 0; i < plan.size; i++) {
    if (i === plan.creating) candidates = b.nTouched;
    const t = plan.term[i] as number;
    if (t >= view.mainTerms || entryStart[t] === entryStart[t + 1]) continue;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const e = t * FIELD_COUNT + f;
      const tf = maxTf[e] as number;
      const norm = (s.normA[f] as number) + (s.normB[f] as number) * (minLen[e] as number);
      perField[f] =
        tf === 0 ? 0 : (plan.weight[i * FIELD_COUNT + f] as number) * (DELTA + (tf * (K1 + 1)) / (tf + norm));
    }
    // FIELDS: title, questions, grams (the article document), heading, body (sections).
    for (let m = 0; m < 8; m++) articleSum[m] = fieldSum(perField, m, 0, 3);
    for (let m = 0; m < 4; m++) sectionSum[m] = fieldSum(perField, m, 3, 2);
    const queryTerm = plan.queryTerm[i] as number;
    const alone = plan.queryTerm[i - 1] !== queryTerm && plan.queryTerm[i + 1] !== queryTerm;
    addBounds(b, blocks, entryStart[t] as number, entryStart[t + 1] as number, alone ? -1 : serial + 1 + queryTerm);
  }
  if (plan.creating === plan.size) candidates = b.nTouched;
  const { docTag, artProduct, artCategory } = view;
  const { state, touched } = b;
  let n = 0;
  for (let x = 0; x < candidates; x++) {
    const block = touched[x] as number;
    const base = block * BLOCK_STRIDE;
    const tag = docTag[blocks.blockStart[block] as number] as number;
    // A removed article's documents are all dead; a filter applies to the whole article.
    if (!(tag & GATE)) continue;
    if (s.product >= 0 && artProduct[tag >>> 3] !== s.product) continue;
    if (s.category >= 0 && artCategory[tag >>> 3] !== s.category) continue;
    const counts = state[base + COUNTS] as number;
    const sectionTerms = Math.floor(counts / SECTION_COUNT);
    b.candidates[n] = block;
    b.bounds[n++] =
      (state[base + SUM_A] as number) * (counts - sectionTerms * SECTION_COUNT) +
      MAX_PRIOR * (state[base + SUM_S] as number) * sectionTerms;
  }
  return n;
}

/**
 * Adds one index term's bounds (b.articleSum, b.sectionSum, per field mask) to
 * the blocks of its entries `from .. to`. `counted` is -1 when the query term
 * has no other expansion (each block occurs once: count it, no check); else
 * a number unique to this query and query term, kept per block so the term
 * counts once. The hot loop of the bound pass: one sequential read and one
 * half cache line per entry, and no branch on the field mask.
 */
function addBounds(b: BlockScratch, blocks: PostingsBlocks, from: number, to: number, counted: number): void {
  const { entryBlock } = blocks;
  const { state, seen, touched, stamp, articleSum, sectionSum } = b;
  let nTouched = b.nTouched;
  for (let j = from; j < to; j++) {
    const packed = entryBlock[j] as number;
    const block = packed >>> FIELD_BITS;
    const base = block * BLOCK_STRIDE;
    if (state[base + STAMP] !== stamp) {
      state[base + STAMP] = stamp;
      state[base + SUM_A] = state[base + SUM_S] = state[base + COUNTS] = 0;
      touched[nTouched++] = block;
    }
    const ua = articleSum[packed & 7] as number;
    const us = sectionSum[(packed & FIELD_MASK) >>> 3] as number;
    state[base + SUM_A] = (state[base + SUM_A] as number) + ua;
    state[base + SUM_S] = (state[base + SUM_S] as number) + us;
    let add = (ua > 0 ? 1 : 0) + (us > 0 ? SECTION_COUNT : 0);
    if (counted >= 0) {
      if (ua > 0 && seen[2 * block] === counted) add -= 1;
      if (us > 0 && seen[2 * block + 1] === counted) add -= SECTION_COUNT;
      if (ua > 0) seen[2 * block] = counted;
      if (us > 0) seen[2 * block + 1] = counted;
    }
    state[base + COUNTS] = (state[base + COUNTS] as number) + add;
  }
  b.nTouched = nTouched;
}

/**
 * Moves the candidates whose bound reaches `floor` to `b.batch` / `b.batchBounds`
 * (`b.taken` of them), keeping the others in order; returns how many are kept.
 */
function takeAtLeast(b: BlockScratch, remaining: number, floor: number): number {
  const { candidates, bounds, batch, batchBounds } = b;
  let taken = 0;
  let kept = 0;
  for (let x = 0; x < remaining; x++) {
    const bound = bounds[x] as number;
    if (bound >= floor) {
      batch[taken] = candidates[x] as number;
      batchBounds[taken++] = bound;
    } else {
      candidates[kept] = candidates[x] as number;
      bounds[kept++] = bound;
    }
  }
  b.taken = taken;
  return kept;
}

/** After `takeAtLeast(floor)`: the taken ones are the candidates still in play, `0 .. remaining`. */
function moveTakenBack(b: BlockScratch, remaining: number): void {
  b.candidates.set(b.batch.subarray(0, remaining));
  b.bounds.set(b.batchBounds.subarray(0, remaining));
}

/**
 * Scores `b.batch[0 .. size)` as one region: in block order, so each term's
 * entries are walked once, forward, galloping to the next block wanted.
 */
function scoreBatch(
  view: PostingsView,
  s: Scratch,
  plan: Plan,
  top: Top,
  blocks: PostingsBlocks,
  b: BlockScratch,
  size: number,
  scope: EngineQuery['scope'],
): void {
  if (size === 0) return;
  const sorted = b.batch.subarray(0, size).sort();
  const { entryStart, entryBlock, entryPost } = blocks;
  scoreRegion(view, s, plan, top, scope, (i, create) => {
    const t = plan.term[i] as number;
    if (t >= view.mainTerms) return;
    const end = entryStart[t + 1] as number;
    let j = entryStart[t] as number;
    for (let x = 0; x < size && j < end; x++) {
      const block = sorted[x] as number;
      if ((entryBlock[j] as number) >>> FIELD_BITS < block) {
        j = firstEntryFrom(entryBlock, j, end, block);
        if (j === end) break;
      }
      if ((entryBlock[j] as number) >>> FIELD_BITS !== block) continue;
      const to = j + 1 < end ? (entryPost[j + 1] as number) : (view.postStart[t + 1] as number);
      scan(view, s, view.post, 2 * (entryPost[j] as number), 2 * to, create);
      j++;
    }
  });
}

/** The top k's k-th score once it is full: no article below it can enter. */
function floorOf(top: Top): number {
  return top.size < top.k ? Number.NEGATIVE_INFINITY : (top.scores[top.k - 1] as number);
}

/** The sum of `perField[first + f]` over the bits f of `mask` (f < count). */
function fieldSum(perField: Float64Array, mask: number, first: number, count: number): number {
  let sum = 0;
  for (let f = 0; f < count; f++) if (mask & (1 << f)) sum += perField[first + f] as number;
  return sum;
}
