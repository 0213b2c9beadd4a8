import { DOC_KINDS, type DocKind, FIELDS, type IndexDoc, VISIBILITY_CODES } from './index-docs.js';
import {
  bump,
  compactArray,
  compareCodeUnits,
  grow,
  invertPostings,
  lowerBound,
  packPosting,
  postingField,
  type Run,
} from './postings-layout.js';

/**
 * The embedded engine's inverted index: flat typed arrays instead of a tree of
 * Maps, so a query walks a few contiguous runs of integers and allocates
 * nothing per posting (see docs/benchmarks.md: at 10,000 articles MiniSearch
 * spent 45 ms a query scoring, materializing and sorting every match, and a
 * quarter of the CPU collecting the garbage).
 *
 * Layout:
 * - documents are small integers; per-document facts live in parallel typed
 *   arrays (article, kind, visibility, alive, field lengths);
 * - the MAIN segment holds the postings of every term as one run in CSR form
 *   (postings `postStart[t] .. postStart[t + 1]`; posting i is `post[2i]` = document,
 *   `post[2i + 1]` = field length, field and term frequency packed, see postings-layout.ts);
 * - documents added since the last compaction go to a small DELTA segment
 *   (a Map from term to the same pairs), removed documents are
 *   only marked dead; `compact()` folds both into a fresh main segment.
 *
 * Statistics (document frequency per term and field, summed field lengths,
 * live document count) are kept exact on every add and remove, so BM25 does
 * not drift between compactions.
 */

export const FIELD_COUNT = FIELDS.length;
/** The gate bits of `docTag`. */
export const GATE = 0b111;
/** Compact automatically once the delta holds this share of the main postings (bulk loads, long edit sessions). */
const DELTA_SHARE = 0.25;
const DELTA_MIN = 50_000;

const KIND_CODE = new Map<DocKind, number>(DOC_KINDS.map((k, i) => [k, i]));

export class PostingsIndex {
  // Documents: ids 0 .. docCount - 1, dead ones included until compaction.
  docCount = 0;
  liveDocs = 0;
  deadDocs = 0;
  /**
   * Article and gate of each document in one integer (`article << 3 | gate`):
   * the gate is `1 << visibility` while the document is alive and 0 once removed,
   * so the hot loop checks life and scope with one load (see postings-search.ts).
   */
  docTag = new Int32Array(16);
  docKind = new Uint8Array(16);
  /** Unique terms per field (`d * FIELD_COUNT + f`), as MiniSearch counted them, for BM25 length normalization. */
  docLen = new Uint32Array(16 * FIELD_COUNT);
  docAnchor: string[] = [];
  /** Article documents only: the section to show on the public scope. */
  docPublicAnchor: Array<string | null> = [];
  lenSum = new Float64Array(FIELD_COUNT);

  // Articles: stable small integers, reused when an article comes back.
  articleIds: string[] = [];
  articleIndex = new Map<string, number>();
  artProduct = new Int32Array(16);
  artCategory = new Int32Array(16);
  artDocs: number[][] = [];
  liveArticles = 0;
  /** Product and category names, interned. */
  labels: string[] = [];
  labelIndex = new Map<string, number>();

  // Terms: never removed (a term whose documents are gone has an empty run).
  terms: string[] = [];
  termIndex = new Map<string, number>();
  /** Live documents containing term t in field f, at `t * FIELD_COUNT + f`. */
  df = new Int32Array(16 * FIELD_COUNT);
  /** All terms in code-unit order, for prefix and fuzzy expansion; built lazily. */
  sorted: string[] | undefined;

  // Main segment, CSR by term. Terms added after it was built have no run in it.
  mainDocs = 0;
  postStart = new Int32Array(1);
  post = new Int32Array(0);

  /** Delta segment: per term, postings of documents added since the last compaction. */
  delta = new Map<number, Run>();
  deltaSize = 0;
  /** The main segment's forward lists (which `t * FIELD_COUNT + f` a document holds, to undo its statistics). */
  fwdStart: Int32Array | undefined;
  fwd: Int32Array | undefined;

  get mainTerms(): number {
    return this.postStart.length - 1;
  }

  /** Section documents (article documents excluded), as the port counts them. */
  get sectionCount(): number {
    return this.liveDocs - this.liveArticles;
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
    this.liveArticles--;
  }

  /** Folds the delta and drops dead documents: one new main segment, documents renumbered. */
  compact(): void {
    this.ensureSorted();
    if (this.deltaSize === 0 && this.deadDocs === 0) return;
    const remap = new Int32Array(this.docCount).fill(-1);
    let live = 0;
    for (let d = 0; d < this.docCount; d++) if ((this.docTag[d] as number) & GATE) remap[d] = live++;

    const termCount = this.terms.length;
    const start = new Int32Array(termCount + 1);
    const { postStart, post } = this;
    for (let t = 0; t < this.mainTerms; t++) {
      for (let i = postStart[t] as number; i < (postStart[t + 1] as number); i++) {
        if ((remap[post[2 * i] as number] as number) >= 0) bump(start, t + 1, 1);
      }
    }
    for (const [t, run] of this.delta) {
      for (let j = 0; j < run.length; j += 2) if ((remap[run.data[j] as number] as number) >= 0) bump(start, t + 1, 1);
    }
    for (let t = 0; t < termCount; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
    const total = start[termCount] as number;
    const next = new Int32Array(2 * total);
    const cursor = start.slice(0, termCount);
    // Main entries first, then delta ones: delta documents have higher ids, so each run stays in document order.
    for (let t = 0; t < this.mainTerms; t++) {
      for (let i = postStart[t] as number; i < (postStart[t + 1] as number); i++) {
        const nd = remap[post[2 * i] as number] as number;
        if (nd < 0) continue;
        const at = bump(cursor, t, 1);
        next[2 * at] = nd;
        next[2 * at + 1] = post[2 * i + 1] as number;
      }
    }
    for (const [t, run] of this.delta) {
      for (let j = 0; j < run.length; j += 2) {
        const nd = remap[run.data[j] as number] as number;
        if (nd < 0) continue;
        const at = bump(cursor, t, 1);
        next[2 * at] = nd;
        next[2 * at + 1] = run.data[j + 1] as number;
      }
    }

    const keep = (d: number) => (remap[d] as number) >= 0;
    this.docTag = compactArray(this.docTag, remap, live, 1);
    this.docKind = compactArray(this.docKind, remap, live, 1);
    this.docLen = compactArray(this.docLen, remap, live, FIELD_COUNT);
    this.docAnchor = this.docAnchor.filter((_, d) => keep(d));
    this.docPublicAnchor = this.docPublicAnchor.filter((_, d) => keep(d));
    this.artDocs = this.artDocs.map((docs) => docs.map((d) => remap[d] as number));
    this.docCount = this.mainDocs = live;
    this.deadDocs = 0;
    this.postStart = start;
    this.post = next;
    this.delta = new Map();
    this.deltaSize = 0;
    this.fwdStart = this.fwd = undefined;
  }

  ensureSorted(): string[] {
    this.sorted ??= [...this.terms].sort(compareCodeUnits);
    return this.sorted;
  }

  private addDoc(doc: IndexDoc): void {
    const d = this.docCount++;
    this.ensureDocCapacity(this.docCount);
    const a = this.internArticle(doc.articleId);
    this.artProduct[a] = this.internLabel(doc.product);
    this.artCategory[a] = this.internLabel(doc.category);
    const docs = this.artDocs[a] as number[];
    if (docs.length === 0) this.liveArticles++;
    docs.push(d);
    this.docTag[d] = (a << 3) | (1 << VISIBILITY_CODES[doc.visibility]);
    this.docKind[d] = KIND_CODE.get(doc.kind) ?? 0;
    this.docAnchor[d] = doc.anchor;
    this.docPublicAnchor[d] = doc.publicAnchor ?? null;

    for (let f = 0; f < FIELD_COUNT; f++) {
      const counts = new Map<string, number>();
      for (const term of doc.terms[FIELDS[f] as (typeof FIELDS)[number]] ?? []) {
        if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      // MiniSearch counted an empty field as one (empty) token; kept so BM25 scores stay as tuned.
      const len = counts.size || 1;
      this.docLen[d * FIELD_COUNT + f] = len;
      this.lenSum[f] = (this.lenSum[f] as number) + len;
      for (const [term, count] of counts) {
        const t = this.internTerm(term);
        bump(this.df, t * FIELD_COUNT + f, 1);
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
  }

  private removeDoc(d: number): void {
    if (!((this.docTag[d] as number) & GATE)) return;
    if (d < this.mainDocs) {
      for (const e of this.mainForward(d)) bump(this.df, e, -1);
    } else {
      // Delta documents are few (edited since the last compaction): find their postings by scanning the delta.
      for (const [t, run] of this.delta) {
        for (let j = 0; j < run.length; j += 2) {
          if (run.data[j] === d) bump(this.df, t * FIELD_COUNT + postingField(run.data[j + 1] as number), -1);
        }
      }
    }
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.lenSum[f] = (this.lenSum[f] as number) - (this.docLen[d * FIELD_COUNT + f] as number);
    }
    this.docTag[d] = (this.docTag[d] as number) & ~GATE;
    this.liveDocs--;
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
    if (this.df.length < this.terms.length * FIELD_COUNT) this.df = grow(this.df, this.terms.length * FIELD_COUNT);
    if (this.sorted) this.sorted.splice(lowerBound(this.sorted, term), 0, term);
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
