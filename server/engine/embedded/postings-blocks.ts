import { postingField, postingLength, postingTf, type ReadonlyInts } from './postings-layout.js';

/**
 * Per-article score bounds over the main segment, so a query can skip the
 * articles that cannot reach its top k (block-max pruning, Ding & Suel,
 * "Faster top-k document retrieval using block-max indexes", SIGIR 2011,
 * with one article per block).
 *
 * An article's documents are consecutive in the main segment (an article is
 * added in one go and compaction keeps the order), so each article is one
 * block of documents. For every term, `entries` lists the blocks it occurs in,
 * in block order, each with the fields it occurs in there and where its
 * postings for that block start. With the largest term frequency and the
 * shortest field length of each term and field, a query bounds every block's
 * BM25 score from these entries alone (postings-search.ts, `boundBlocks`)
 * and reads the postings of only the blocks whose bound reaches its k-th best
 * score. Derived from the main segment: rebuilt after each compaction, never
 * stored in a snapshot, and documents of the delta segment are always scored.
 */
export type PostingsBlocks = {
  /** Block b is documents `blockStart[b] .. blockStart[b + 1]`, one article; the last entry is the main segment's size. */
  blockStart: Int32Array;
  /** Term t's entries are `entryStart[t] .. entryStart[t + 1]` of the two arrays below. */
  entryStart: Int32Array;
  /** Per entry: `block << FIELD_BITS | field mask`, bit f set when the term occurs in field f of some document of the block. */
  entryBlock: Int32Array;
  /**
   * Per entry: the index of the pair in `post` where the term's postings of
   * that block begin. They end where the next entry's begin, or at the end of
   * the term's run. (Apart from entryBlock, which the bound pass reads alone.)
   */
  entryPost: Int32Array;
  /** Per term and field (`t * fields + f`) over the main segment: the largest term frequency. */
  maxTf: Uint16Array;
  /** Per term and field: the shortest field length among its postings. */
  minLen: Uint16Array;
};

export const FIELD_BITS = 5;
export const FIELD_MASK = (1 << FIELD_BITS) - 1;

/**
 * The blocks of a main segment; undefined when some article's documents are
 * not consecutive (never produced by the index, but a query then falls back
 * to scoring every posting rather than trust a bound that does not hold).
 */
export function buildBlocks(
  postStart: ReadonlyInts,
  post: ReadonlyInts,
  docTag: ReadonlyInts,
  mainDocs: number,
  fields: number,
): PostingsBlocks | undefined {
  const blockOf = new Int32Array(mainDocs);
  const starts: number[] = [];
  const seen = new Set<number>();
  let previous = -1;
  for (let d = 0; d < mainDocs; d++) {
    const article = (docTag[d] as number) >>> 3;
    if (article !== previous) {
      if (seen.has(article)) return undefined;
      seen.add(article);
      starts.push(d);
      previous = article;
    }
    blockOf[d] = starts.length - 1;
  }
  starts.push(mainDocs);

  const terms = postStart.length - 1;
  const entryStart = new Int32Array(terms + 1);
  for (let t = 0; t < terms; t++) {
    let count = 0;
    let last = -1;
    for (let i = postStart[t] as number; i < (postStart[t + 1] as number); i++) {
      const b = blockOf[post[2 * i] as number] as number;
      if (b !== last) count++;
      last = b;
    }
    entryStart[t + 1] = (entryStart[t] as number) + count;
  }

  const entryBlock = new Int32Array(entryStart[terms] as number);
  const entryPost = new Int32Array(entryBlock.length);
  const maxTf = new Uint16Array(terms * fields);
  const minLen = new Uint16Array(terms * fields).fill(0xffff);
  for (let t = 0; t < terms; t++) {
    let j = (entryStart[t] as number) - 1;
    let last = -1;
    for (let i = postStart[t] as number; i < (postStart[t + 1] as number); i++) {
      const packed = post[2 * i + 1] as number;
      const f = postingField(packed);
      const b = blockOf[post[2 * i] as number] as number;
      if (b !== last) {
        j++;
        entryBlock[j] = b << FIELD_BITS;
        entryPost[j] = i;
        last = b;
      }
      entryBlock[j] = (entryBlock[j] as number) | (1 << f);
      const e = t * fields + f;
      maxTf[e] = Math.max(maxTf[e] as number, postingTf(packed));
      minLen[e] = Math.min(minLen[e] as number, postingLength(packed));
    }
  }
  return { blockStart: Int32Array.from(starts), entryStart, entryBlock, entryPost, maxTf, minLen };
}
