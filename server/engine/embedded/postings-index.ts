import { type Scope, visibilitiesFor } from '../search-engine.js';
import { DOC_KINDS, type DocKind, FIELDS, type IndexDoc, VISIBILITY_CODES } from './index-docs.js';
import { buildBlocks, type PostingsBlocks } from './postings-blocks.js';
import {
  bump,
  compactArray,
  compareCodeUnits,
  grow,
  invertPostings,
  mergeSegments,
  mergeSorted,
  packPosting,
  postingField,
  type Run,
} from './postings-layout.js';
import type { PostingsView, SnapshotParts } from './postings-view.js';

/**
 * The embedded engine's inverted index: flat typed arrays instead of a tree of
 * Maps, so a query walks a few contiguous runs of integers and allocates
 * nothing per posting (docs/benchmarks.md has what MiniSearch cost here).
 * Documents are small integers with their facts in parallel arrays; postings
 * live in a compacted MAIN segment (CSR by term) and a small DELTA segment of
 * documents added since, removed documents are only marked dead, and
 * `compact()` folds both into a fresh main segment (../README.md, "Data layout").
 * Statistics (document frequency per term and field, summed field lengths,
 * live documents) are kept exact on every add and remove, so BM25 does not
 * drift between compactions. They are kept twice: over every live document
 * (agent queries) and over those the public may see (public queries), so
 * internal articles never move a public score (../README.md, "Scope and
 * corpus statistics").
 *
 * The state is private: it changes only through `add`, `removeArticle` and
 * `compact`, crosses to a snapshot only as `SnapshotParts`, and a query reads
 * it through `view()`.
 */

export const FIELD_COUNT = FIELDS.length;
/** The gate bits of a document tag. */
export const GATE = 0b111;
/** Compact automatically once the delta holds this share of the main postings (bulk loads, long edit sessions). */
const DELTA_SHARE = 0.25;
const DELTA_MIN = 50_000;

const KIND_CODE = new Map<DocKind, number>(DOC_KINDS.map((k, i) => [k, i]));

/** The gate bits a scope's query lets through (see PostingsView.docTag). */
export function gatesOf(scope: Scope): number {
  return visibilitiesFor(scope).reduce((mask, v) => mask | (1 << VISIBILITY_CODES[v]), 0);
}
/** Documents counted in the public statistics: those a public query may see. */
const PUBLIC_GATES = gatesOf('public');

export class PostingsIndex {
  // Documents: ids 0 .. docCount - 1, dead ones included until compaction.
  private docCount = 0;
  private liveDocs = 0;
  private deadDocs = 0;
  /** Article and gate of each document (see PostingsView). */
  private docTag = new Int32Array(16);
  private docKind = new Uint8Array(16);
  /** Unique terms per field (`d * FIELD_COUNT + f`), as MiniSearch counted them, for BM25 length normalization. */
  private docLen = new Uint32Array(16 * FIELD_COUNT);
  private docAnchor: string[] = [];
  /** Article documents only: the section to show on the public scope. */
  private docPublicAnchor: Array<string | null> = [];
  private lenSum = new Float64Array(FIELD_COUNT);
  /** The same statistics over public documents only: live ones, summed field lengths, and `publicDf` below. */
  private publicDocs = 0;
  private publicLenSum = new Float64Array(FIELD_COUNT);

  // Articles: stable small integers, reused when an article comes back.
  private articleIds: string[] = [];
  private articleIndex = new Map<string, number>();
  private artProduct = new Int32Array(16);
  private artCategory = new Int32Array(16);
  private artDocs: number[][] = [];
  private articlesAlive = 0;
  /** Product and category names, interned. */
  private labels: string[] = [];
  private labelIndex = new Map<string, number>();

  // Terms: a term whose documents are all gone keeps an empty run until the next compaction drops it.
  private terms: string[] = [];
  private termIndex = new Map<string, number>();
  /** Live documents containing term t in field f, at `t * FIELD_COUNT + f`. */
  private df = new Int32Array(16 * FIELD_COUNT);
  /** Live public documents (visibility `all` or `public`) containing term t in field f. */
  private publicDf = new Int32Array(16 * FIELD_COUNT);
  /** All terms in code-unit order, for prefix and fuzzy expansion; built lazily. */
  private sorted: string[] | undefined;
  /** Terms interned since `sorted` was last brought up to date: merged in on the next read, not spliced in one by one. */
  private unsorted: string[] = [];

  // Main segment, CSR by term. Terms added after it was built have no run in it.
  private mainDocs = 0;
  private postStart = new Int32Array(1);
  private post = new Int32Array(0);

  /** Delta segment: per term, postings of documents added since the last compaction. */
  private delta = new Map<number, Run>();
  private deltaSize = 0;
  /** The main segment's forward lists (which `t * FIELD_COUNT + f` a document holds, to undo its statistics). */
  private fwdStart: Int32Array | undefined;
  private fwd: Int32Array | undefined;
  /** The main segment's per-article score bounds (postings-blocks.ts): built on the first query after a compaction. */
  private blocks: PostingsBlocks | undefined | null = null;

  /** An index over `docs`, compacted. */
  static build(docs: IndexDoc[]): PostingsIndex {
    const index = new PostingsIndex();
    index.add(docs);
    index.compact();
    return index;
  }

  /** The index a snapshot describes; the lookup tables and per-article lists are derived here. */
  static fromSnapshot(parts: SnapshotParts): PostingsIndex {
    const index = new PostingsIndex();
    const { arrays } = parts;
    const n = parts.docCount;
    index.docCount = index.mainDocs = index.liveDocs = n;
    index.docTag = arrays.docTag;
    index.docKind = arrays.docKind;
    index.docLen = arrays.docLen;
    index.docAnchor = parts.docAnchor;
    index.docPublicAnchor = parts.docPublicAnchor;
    index.lenSum = arrays.lenSum;
    index.publicLenSum = arrays.publicLenSum;
    for (let d = 0; d < n; d++) if ((index.docTag[d] as number) & PUBLIC_GATES) index.publicDocs++;
    index.articleIds = parts.articleIds;
    index.articleIndex = new Map(parts.articleIds.map((id, a) => [id, a]));
    index.artProduct = arrays.artProduct;
    index.artCategory = arrays.artCategory;
    index.artDocs = parts.articleIds.map(() => []);
    for (let d = 0; d < n; d++) (index.artDocs[(index.docTag[d] as number) >>> 3] as number[]).push(d);
    index.articlesAlive = index.artDocs.filter((docs) => docs.length > 0).length;
    index.labels = parts.labels;
    index.labelIndex = new Map(parts.labels.map((label, l) => [label, l]));
    index.terms = parts.terms;
    index.termIndex = new Map(parts.terms.map((term, t) => [term, t]));
    index.df = arrays.df;
    index.publicDf = arrays.publicDf;
    index.postStart = arrays.postStart;
    index.post = arrays.post;
    index.sorted = Array.from(arrays.sortedOrder, (t) => parts.terms[t] as string);
    return index;
  }

  add(docs: IndexDoc[]): void {
    for (const doc of docs) this.addDoc(doc);
    if (this.deltaSize > Math.max(DELTA_MIN, (this.post.length / 2) * DELTA_SHARE)) this.compact();
  }

  removeArticle(articleId: string): void {
    const a = this.articleIndex.get(articleId);
    if (a === undefined) return;
    const docs = this.artDocs[a] as number[];
    if (docs.length === 0) return;
    for (const d of docs) this.removeDoc(d);
    this.artDocs[a] = [];
    this.articlesAlive--;
  }

  /** Folds the delta and drops dead documents: one new main segment, documents renumbered. */
  compact(): void {
    this.sortedTerms();
    if (this.deltaSize === 0 && this.deadDocs === 0) return;
    const remap = new Int32Array(this.docCount).fill(-1);
    let live = 0;
    for (let d = 0; d < this.docCount; d++) if ((this.docTag[d] as number) & GATE) remap[d] = live++;

    const merged = mergeSegments(this.postStart, this.post, this.delta, remap, this.terms.length);

    const keep = (d: number) => (remap[d] as number) >= 0;
    this.docTag = compactArray(this.docTag, remap, live, 1);
    this.docKind = compactArray(this.docKind, remap, live, 1);
    this.docLen = compactArray(this.docLen, remap, live, FIELD_COUNT);
    this.docAnchor = this.docAnchor.filter((_, d) => keep(d));
    this.docPublicAnchor = this.docPublicAnchor.filter((_, d) => keep(d));
    this.artDocs = this.artDocs.map((docs) => docs.map((d) => remap[d] as number));
    this.docCount = this.mainDocs = live;
    this.deadDocs = 0;
    this.postStart = merged.postStart;
    this.post = merged.post;
    this.delta = new Map();
    this.deltaSize = 0;
    this.fwdStart = this.fwd = undefined;
    this.dropDeadTerms();
    this.blocks = null;
  }

  /** Compacts, then hands out the arrays (views, not copies: encode them before the next change). */
  toSnapshot(): SnapshotParts {
    this.compact();
    const sorted = this.sortedTerms();
    const n = this.docCount;
    const arts = this.articleIds.length;
    return {
      docCount: n,
      terms: this.terms,
      articleIds: this.articleIds,
      labels: this.labels,
      docAnchor: this.docAnchor,
      docPublicAnchor: this.docPublicAnchor,
      arrays: {
        docTag: this.docTag.subarray(0, n),
        docKind: this.docKind.subarray(0, n),
        docLen: this.docLen.subarray(0, n * FIELD_COUNT),
        artProduct: this.artProduct.subarray(0, arts),
        artCategory: this.artCategory.subarray(0, arts),
        df: this.df.subarray(0, this.terms.length * FIELD_COUNT),
        lenSum: this.lenSum,
        publicDf: this.publicDf.subarray(0, this.terms.length * FIELD_COUNT),
        publicLenSum: this.publicLenSum,
        postStart: this.postStart,
        post: this.post,
        sortedOrder: Int32Array.from(sorted, (term) => this.termIndex.get(term) as number),
      },
    };
  }

  /** The index as a query reads it. */
  view(): PostingsView {
    return {
      liveDocs: this.liveDocs,
      docSlots: this.docCount,
      articleSlots: this.articleIds.length,
      docTag: this.docTag,
      docKind: this.docKind,
      docAnchor: this.docAnchor,
      docPublicAnchor: this.docPublicAnchor,
      articleIds: this.articleIds,
      artProduct: this.artProduct,
      artCategory: this.artCategory,
      labelIndex: this.labelIndex,
      termIndex: this.termIndex,
      stats: {
        agent: { docs: this.liveDocs, df: this.df, lenSum: this.lenSum },
        public: { docs: this.publicDocs, df: this.publicDf, lenSum: this.publicLenSum },
      },
      mainTerms: this.mainTerms,
      postStart: this.postStart,
      post: this.post,
      delta: this.delta,
      blocks: () => this.mainBlocks(),
      sortedTerms: () => this.sortedTerms(),
    };
  }

  /** Live documents: sections and one article document per article. */
  get liveDocuments(): number {
    return this.liveDocs;
  }

  get liveArticles(): number {
    return this.articlesAlive;
  }

  /** Section documents (article documents excluded), as the port counts them. */
  get sectionCount(): number {
    return this.liveDocs - this.articlesAlive;
  }

  /** Documents removed since the last compaction (still taking a slot). */
  get deadDocuments(): number {
    return this.deadDocs;
  }

  /** Postings in the delta segment (added since the last compaction). */
  get deltaPostings(): number {
    return this.deltaSize;
  }

  /**
   * The sorted term list, with the terms interned since it was last read merged
   * in: sorting those and one merge cost O(n + k log k) for k new terms, where
   * splicing each into place cost O(n) apiece (an article of 300,000 new words
   * held every search for half a minute, issue 14).
   */
  private sortedTerms(): string[] {
    if (!this.sorted) {
      this.sorted = [...this.terms].sort(compareCodeUnits);
    } else if (this.unsorted.length > 0) {
      this.sorted = mergeSorted(this.sorted, this.unsorted.sort(compareCodeUnits));
    }
    this.unsorted = [];
    return this.sorted;
  }

  /**
   * After a merge: terms no live document holds any more (their run is empty)
   * are forgotten and the rest renumbered, so deleting an article with many
   * words of its own shrinks the index and its snapshot back.
   */
  private dropDeadTerms(): void {
    const n = this.terms.length;
    const start = this.postStart;
    let live = 0;
    for (let t = 0; t < n; t++) if ((start[t + 1] as number) > (start[t] as number)) live++;
    if (live === n) return;
    const sorted = this.sortedTerms();
    const terms: string[] = new Array(live);
    const nextStart = new Int32Array(live + 1);
    const df = new Int32Array(Math.max(16, live) * FIELD_COUNT);
    const publicDf = new Int32Array(df.length);
    let next = 0;
    for (let t = 0; t < n; t++) {
      const term = this.terms[t] as string;
      if ((start[t + 1] as number) === (start[t] as number)) {
        this.termIndex.delete(term);
        continue;
      }
      terms[next] = term;
      nextStart[next + 1] = start[t + 1] as number;
      df.set(this.df.subarray(t * FIELD_COUNT, (t + 1) * FIELD_COUNT), next * FIELD_COUNT);
      publicDf.set(this.publicDf.subarray(t * FIELD_COUNT, (t + 1) * FIELD_COUNT), next * FIELD_COUNT);
      if (next !== t) this.termIndex.set(term, next);
      next++;
    }
    this.terms = terms;
    this.postStart = nextStart;
    this.df = df;
    this.publicDf = publicDf;
    this.sorted = sorted.filter((term) => this.termIndex.has(term));
  }

  private mainBlocks(): PostingsBlocks | undefined {
    if (this.blocks === null) {
      this.blocks = buildBlocks(this.postStart, this.post, this.docTag, this.mainDocs, FIELD_COUNT);
    }
    return this.blocks;
  }

  private get mainTerms(): number {
    return this.postStart.length - 1;
  }

  private addDoc(doc: IndexDoc): void {
    const d = this.docCount++;
    this.ensureDocCapacity(this.docCount);
    const a = this.internArticle(doc.articleId);
    this.artProduct[a] = this.internLabel(doc.product);
    this.artCategory[a] = this.internLabel(doc.category);
    const docs = this.artDocs[a] as number[];
    if (docs.length === 0) this.articlesAlive++;
    docs.push(d);
    this.docTag[d] = (a << 3) | (1 << VISIBILITY_CODES[doc.visibility]);
    this.docKind[d] = KIND_CODE.get(doc.kind) ?? 0;
    this.docAnchor[d] = doc.anchor;
    this.docPublicAnchor[d] = doc.publicAnchor ?? null;
    const isPublic = ((this.docTag[d] as number) & PUBLIC_GATES) !== 0;

    for (let f = 0; f < FIELD_COUNT; f++) {
      const counts = new Map<string, number>();
      for (const term of doc.terms[FIELDS[f] as (typeof FIELDS)[number]] ?? []) {
        if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      // MiniSearch counted an empty field as one (empty) token; kept so BM25 scores stay as tuned.
      const len = counts.size || 1;
      this.docLen[d * FIELD_COUNT + f] = len;
      this.lenSum[f] = (this.lenSum[f] as number) + len;
      if (isPublic) this.publicLenSum[f] = (this.publicLenSum[f] as number) + len;
      for (const [term, count] of counts) {
        const t = this.internTerm(term);
        bump(this.df, t * FIELD_COUNT + f, 1);
        if (isPublic) bump(this.publicDf, t * FIELD_COUNT + f, 1);
        let run = this.delta.get(t);
        if (!run) {
          run = { data: new Int32Array(4), length: 0 };
          this.delta.set(t, run);
        }
        if (run.length + 2 > run.data.length) run.data = grow(run.data, run.length + 2);
        run.data[run.length++] = d;
        run.data[run.length++] = packPosting(f, count, len);
        this.deltaSize++;
      }
    }
    this.liveDocs++;
    if (isPublic) this.publicDocs++;
  }

  private removeDoc(d: number): void {
    const tag = this.docTag[d] as number;
    if (!(tag & GATE)) return;
    const isPublic = (tag & PUBLIC_GATES) !== 0;
    const uncount = (e: number) => {
      bump(this.df, e, -1);
      if (isPublic) bump(this.publicDf, e, -1);
    };
    if (d < this.mainDocs) {
      for (const e of this.mainForward(d)) uncount(e);
    } else {
      // Delta documents are few (edited since the last compaction): find their postings by scanning the delta.
      for (const [t, run] of this.delta) {
        for (let j = 0; j < run.length; j += 2) {
          if (run.data[j] === d) uncount(t * FIELD_COUNT + postingField(run.data[j + 1] as number));
        }
      }
    }
    for (let f = 0; f < FIELD_COUNT; f++) {
      const len = this.docLen[d * FIELD_COUNT + f] as number;
      this.lenSum[f] = (this.lenSum[f] as number) - len;
      if (isPublic) this.publicLenSum[f] = (this.publicLenSum[f] as number) - len;
    }
    this.docTag[d] = tag & ~GATE;
    this.liveDocs--;
    if (isPublic) this.publicDocs--;
    this.deadDocs++;
  }

  /** The main segment's forward lists, inverted from the postings on the first removal after a compaction. */
  private mainForward(d: number): Int32Array {
    if (!this.fwdStart || !this.fwd) {
      ({ start: this.fwdStart, entries: this.fwd } = invertPostings(
        this.postStart,
        this.post,
        this.mainDocs,
        FIELD_COUNT,
      ));
    }
    return this.fwd.subarray(this.fwdStart[d], this.fwdStart[d + 1]);
  }

  private internTerm(term: string): number {
    let t = this.termIndex.get(term);
    if (t !== undefined) return t;
    t = this.terms.length;
    this.terms.push(term);
    this.termIndex.set(term, t);
    if (this.df.length < this.terms.length * FIELD_COUNT) {
      this.df = grow(this.df, this.terms.length * FIELD_COUNT);
      this.publicDf = grow(this.publicDf, this.df.length);
    }
    if (this.sorted) this.unsorted.push(term);
    return t;
  }

  private internArticle(id: string): number {
    let a = this.articleIndex.get(id);
    if (a !== undefined) return a;
    a = this.articleIds.length;
    this.articleIds.push(id);
    this.articleIndex.set(id, a);
    this.artDocs.push([]);
    if (this.artProduct.length <= a) {
      this.artProduct = grow(this.artProduct, a + 1);
      this.artCategory = grow(this.artCategory, a + 1);
    }
    return a;
  }

  private internLabel(label: string): number {
    let l = this.labelIndex.get(label);
    if (l === undefined) {
      l = this.labels.length;
      this.labels.push(label);
      this.labelIndex.set(label, l);
    }
    return l;
  }

  private ensureDocCapacity(n: number): void {
    if (this.docTag.length >= n) return;
    this.docTag = grow(this.docTag, n);
    this.docKind = grow(this.docKind, n);
    this.docLen = grow(this.docLen, n * FIELD_COUNT);
  }
}
