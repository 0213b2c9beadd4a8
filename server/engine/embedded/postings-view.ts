import type { PostingsBlocks } from './postings-blocks.js';
import type { ReadonlyInts } from './postings-layout.js';

/**
 * The two outward shapes of the postings index (postings-index.ts): what a
 * query reads, and what a snapshot stores. Both are views of its private
 * arrays, not copies.
 */

/** A compacted index as plain arrays and string tables: what a snapshot stores (snapshot/snapshot-format.ts). */
export type SnapshotParts = {
  docCount: number;
  terms: string[];
  articleIds: string[];
  labels: string[];
  docAnchor: string[];
  docPublicAnchor: Array<string | null>;
  arrays: {
    docTag: Int32Array<ArrayBuffer>;
    docKind: Uint8Array<ArrayBuffer>;
    docLen: Uint32Array<ArrayBuffer>;
    artProduct: Int32Array<ArrayBuffer>;
    artCategory: Int32Array<ArrayBuffer>;
    df: Int32Array<ArrayBuffer>;
    lenSum: Float64Array<ArrayBuffer>;
    /** `df` and `lenSum` over public documents only (visibility `all` or `public`). */
    publicDf: Int32Array<ArrayBuffer>;
    publicLenSum: Float64Array<ArrayBuffer>;
    postStart: Int32Array<ArrayBuffer>;
    post: Int32Array<ArrayBuffer>;
    /** Term ids in code-unit order of their terms (prefix and fuzzy expansion walk it). */
    sortedOrder: Int32Array<ArrayBuffer>;
  };
};

/** What a query reads (postings-search.ts, term-expansion.ts): read-only, valid until the index next changes. */
export type PostingsView = {
  /** Live documents: sections and one article document per article. */
  readonly liveDocs: number;
  /** Document ids and article numbers in use, dead ones included: the size of per-query scratch space. */
  readonly docSlots: number;
  readonly articleSlots: number;
  /**
   * Per document, article and gate in one integer (`article << 3 | gate`): the
   * gate is `1 << visibility` while the document is alive and 0 once removed,
   * so the hot loop checks life and scope with one load.
   */
  readonly docTag: ReadonlyInts;
  /** Per document: its kind's index in DOC_KINDS (0 is the article document). */
  readonly docKind: ReadonlyInts;
  /** Per document: its section (for an article document, the section shown to agents when only it matched). */
  readonly docAnchor: readonly string[];
  /** Article documents only: the section shown on the public scope. */
  readonly docPublicAnchor: ReadonlyArray<string | null>;
  readonly articleIds: readonly string[];
  /** Per article: the label ids of its product and category. */
  readonly artProduct: ReadonlyInts;
  readonly artCategory: ReadonlyInts;
  readonly labelIndex: ReadonlyMap<string, number>;
  readonly termIndex: ReadonlyMap<string, number>;
  /**
   * BM25's corpus statistics per scope: agents count every live document, the
   * public only what it may see, so internal articles never move a public score.
   */
  readonly stats: { readonly agent: CorpusStats; readonly public: CorpusStats };
  /** Main segment: term t's postings are the pairs in `post[2 * postStart[t] .. 2 * postStart[t + 1])`, for t < mainTerms. */
  readonly mainTerms: number;
  readonly postStart: ReadonlyInts;
  readonly post: ReadonlyInts;
  /** Delta segment: term -> its run of pairs added since the last compaction. */
  readonly delta: ReadonlyMap<number, { readonly data: ReadonlyInts; readonly length: number }>;
  /** The main segment's per-article score bounds, for pruning; undefined when they cannot be trusted. */
  blocks(): PostingsBlocks | undefined;
  /** Every term in code-unit order, for prefix and fuzzy expansion. */
  sortedTerms(): readonly string[];
};

/** The statistics BM25 reads, over the documents one scope counts. */
export type CorpusStats = {
  /** Live documents counted. */
  readonly docs: number;
  /** Counted documents containing term t in field f, at `t * FIELD_COUNT + f`. */
  readonly df: ReadonlyInts;
  /** Per field: its summed length over the counted documents. */
  readonly lenSum: ReadonlyInts;
};
