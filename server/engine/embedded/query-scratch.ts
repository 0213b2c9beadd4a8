import type { PostingsIndex } from './postings-index.js';
import { FIELD_COUNT } from './postings-index.js';
import type { PostingsView } from './postings-view.js';

/** Per-query scratch space of one index, reused: a query allocates nothing per posting. */
export type Scratch = {
  /**
   * Per document, `stride` numbers: the stamp of the query that last touched
   * it, its score, how many distinct query terms it matched, then a bit mask of
   * those terms (32 per word). One cache line per document, not five arrays.
   */
  doc: Float64Array;
  stride: number;
  touchedDocs: Int32Array;
  artStamp: Int32Array;
  artDocScore: Float64Array;
  artBest: Float64Array;
  artBestDoc: Int32Array;
  artArticleDoc: Int32Array;
  artMask: Int32Array;
  touchedArts: Int32Array;
  stamp: number;
  // The query being run.
  words: number;
  gates: number;
  product: number;
  category: number;
  nDocs: number;
  nArts: number;
  /** Index of the query term whose postings are being added. */
  term: number;
  /** Per field: query-term weight × expansion weight × field boost × idf. */
  weight: Float64Array;
  normA: Float64Array;
  normB: Float64Array;
};

const scratches = new WeakMap<PostingsIndex, Scratch>();

/**
 * The index's scratch space, large enough for its documents and articles and
 * for `words` words of term bits per document, with a fresh stamp: every
 * accumulator whose stamp differs counts as zero.
 */
export function scratchFor(index: PostingsIndex, view: PostingsView, words: number): Scratch {
  const docs = view.docSlots;
  const arts = view.articleSlots;
  let s = scratches.get(index);
  if (!s || s.touchedDocs.length < docs || s.artStamp.length < arts) {
    const dc = Math.max(docs, 16) * 2;
    const ac = Math.max(arts, 16) * 2;
    s = {
      doc: new Float64Array(0),
      stride: 0,
      touchedDocs: new Int32Array(dc),
      artStamp: new Int32Array(ac),
      artDocScore: new Float64Array(ac),
      artBest: new Float64Array(ac),
      artBestDoc: new Int32Array(ac),
      artArticleDoc: new Int32Array(ac),
      artMask: new Int32Array(ac * words),
      touchedArts: new Int32Array(ac),
      stamp: s?.stamp ?? 0,
      words,
      gates: 0,
      product: -1,
      category: -1,
      nDocs: 0,
      nArts: 0,
      term: 0,
      weight: new Float64Array(FIELD_COUNT),
      normA: new Float64Array(FIELD_COUNT),
      normB: new Float64Array(FIELD_COUNT),
    };
    scratches.set(index, s);
  }
  // The stride only grows: a query with more than 32 terms used to switch it back
  // and forth, reallocating and zeroing docs × stride numbers (megabytes) each time.
  const stride = Math.max(3 + words, s.stride);
  if (s.stride !== stride || s.doc.length < s.touchedDocs.length * stride) {
    // A new stride moves every document's stamp: start the accumulators from zero.
    s.doc = new Float64Array(s.touchedDocs.length * stride);
    s.stride = stride;
  }
  const maskWords = stride - 3;
  if (s.artMask.length < s.artStamp.length * maskWords) s.artMask = new Int32Array(s.artStamp.length * maskWords);
  s.words = maskWords;
  s.stamp = s.stamp >= 0x7ffffff0 ? resetStamps(s) : s.stamp + 1;
  s.nDocs = 0;
  s.nArts = 0;
  return s;
}

function resetStamps(s: Scratch): number {
  s.doc.fill(0);
  s.artStamp.fill(0);
  return 1;
}
