import { DOC_KINDS, FIELD_BOOST, FIELDS, KIND_PRIOR, kindOfAnchor, VISIBILITY_CODES } from './index-docs.js';
import { FIELD_COUNT, type PostingsIndex } from './postings-index.js';
import { postingField, postingLength, postingTf } from './postings-layout.js';
import type { EngineHit, EngineQuery, EngineResult, Visibility } from './search-engine.js';
import { visibilitiesFor } from './search-engine.js';
import { expandTerm } from './term-expansion.js';

/**
 * BM25+ exactly as MiniSearch computes it (k1, b, delta; per-field document
 * frequency and average length; a document's score multiplied by how many
 * distinct query terms it matched), with the same prefix and fuzzy weights
 * (term-expansion.ts), so rankings tuned on the evaluation set carry over unchanged.
 */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
const FIELD_BOOSTS = Float64Array.from(FIELDS, (f) => FIELD_BOOST[f]);
const PRIORS = Float64Array.from(DOC_KINDS, (k) => (k === 'article' ? 1 : (KIND_PRIOR[k] ?? 1)));

/** Per-query scratch space, reused: a query allocates nothing per posting. */
type Scratch = {
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
  /** Index of the query term whose postings are being added. */
  term: number;
  /** Per field: query-term weight × expansion weight × field boost × idf. */
  weight: Float64Array;
  normA: Float64Array;
  normB: Float64Array;
};

const scratches = new WeakMap<PostingsIndex, Scratch>();

/**
 * Runs a query. Postings of the typed words and their synonyms (and prefix /
 * fuzzy expansions) add to per-document accumulators, scope and filters are
 * checked per posting; then the supporting terms (single-character grams) add
 * only to articles a typed word already found, since an article matching
 * nothing else is never a result. Documents fold into articles (article
 * document + best section, with the section-kind prior) and a bounded
 * insertion keeps the top `offset + limit`: nothing is materialized or sorted
 * for the thousands of other matches.
 */
export function searchPostings(index: PostingsIndex, query: EngineQuery): EngineResult {
  const none: EngineResult = { engine: 'embedded', degraded: false, total: 0, hits: [] };
  if (query.terms.length === 0 || index.liveDocs === 0) return none;
  const product = labelFilter(index, query.filters.product);
  const category = labelFilter(index, query.filters.category);
  if (product === -2 || category === -2) return none;

  const words = Math.ceil(query.terms.length / 32);
  const s = scratchFor(index, words);
  s.stamp = s.stamp >= 0x7ffffff0 ? resetStamps(s) : s.stamp + 1;
  s.gates = visibilitiesFor(query.scope).reduce((m, v: Visibility) => m | (1 << VISIBILITY_CODES[v]), 0);
  s.product = product;
  s.category = category;
  s.nDocs = 0;
  const n = index.liveDocs;
  for (let f = 0; f < FIELD_COUNT; f++) {
    // K1 * (1 - B + B * length / average), split so a posting costs one multiply-add.
    s.normA[f] = K1 * (1 - B);
    s.normB[f] = (K1 * B * n) / (index.lenSum[f] as number);
  }

  const typed = query.terms.filter((t) => t.origin === 'query');
  const lastTyped = query.prefixLast ? typed.at(-1)?.term : undefined;
  const addTerm = (ti: number, create: boolean) => {
    const qt = query.terms[ti] as EngineQuery['terms'][number];
    s.term = ti;
    for (const [t, weight] of expandTerm(index, qt.term, qt.term === lastTyped)) {
      for (let f = 0; f < FIELD_COUNT; f++) {
        const m = index.df[t * FIELD_COUNT + f] as number;
        s.weight[f] = qt.weight * weight * (FIELD_BOOSTS[f] as number) * Math.log(1 + (n - m + 0.5) / (m + 0.5));
      }
      if (t < index.mainTerms) {
        scan(index, s, index.post, 2 * (index.postStart[t] as number), 2 * (index.postStart[t + 1] as number), create);
      }
      const run = index.delta.get(t);
      if (run) scan(index, s, run.data, 0, run.length, create);
    }
  };
  query.terms.forEach((t, ti) => {
    if (!t.supporting) addTerm(ti, true);
  });
  // Every article found so far had a typed word: start its record now, so supporting terms can add to it.
  let nArts = 0;
  for (let i = 0; i < s.nDocs; i++) {
    const a = (index.docTag[s.touchedDocs[i] as number] as number) >>> 3;
    if (s.artStamp[a] === s.stamp) continue;
    s.artStamp[a] = s.stamp;
    s.artDocScore[a] = 0;
    s.artBest[a] = -1;
    s.artBestDoc[a] = -1;
    s.artArticleDoc[a] = -1;
    for (let w = 0; w < words; w++) s.artMask[a * words + w] = 0;
    s.touchedArts[nArts++] = a;
  }
  query.terms.forEach((t, ti) => {
    if (t.supporting) addTerm(ti, false);
  });

  // Fold documents into articles.
  const { doc, stride } = s;
  for (let i = 0; i < s.nDocs; i++) {
    const d = s.touchedDocs[i] as number;
    const a = (index.docTag[d] as number) >>> 3;
    const base = d * stride;
    for (let w = 0; w < words; w++) {
      s.artMask[a * words + w] = (s.artMask[a * words + w] as number) | (doc[base + 3 + w] as number);
    }
    const score = (doc[base + 1] as number) * (doc[base + 2] as number);
    const kind = index.docKind[d] as number;
    if (kind === 0) {
      s.artDocScore[a] = score;
      s.artArticleDoc[a] = d;
    } else if (score * (PRIORS[kind] as number) > (s.artBest[a] as number)) {
      s.artBest[a] = score * (PRIORS[kind] as number);
      s.artBestDoc[a] = d;
    }
  }

  // Bounded insertion: keep the best `offset + limit` articles, in score order.
  const k = query.offset + query.limit;
  const top = new Int32Array(k);
  const topScore = new Float64Array(k);
  let size = 0;
  let total = 0;
  for (let i = 0; i < nArts; i++) {
    const a = s.touchedArts[i] as number;
    if ((s.artBestDoc[a] as number) < 0 && !anchorOfArticleDoc(index, s.artArticleDoc[a] as number, query.scope)) {
      continue;
    }
    total++;
    const score = (s.artDocScore[a] as number) + Math.max(0, s.artBest[a] as number);
    if (k === 0 || (size === k && score <= (topScore[k - 1] as number))) continue;
    let j = size < k ? size++ : k - 1;
    while (j > 0 && (topScore[j - 1] as number) < score) {
      topScore[j] = topScore[j - 1] as number;
      top[j] = top[j - 1] as number;
      j--;
    }
    topScore[j] = score;
    top[j] = a;
  }

  const hits: EngineHit[] = [];
  for (let r = query.offset; r < size; r++) {
    const a = top[r] as number;
    const best = s.artBestDoc[a] as number;
    const anchor =
      best >= 0
        ? (index.docAnchor[best] as string)
        : (anchorOfArticleDoc(index, s.artArticleDoc[a] as number, query.scope) as string);
    const kind = best >= 0 ? (DOC_KINDS[index.docKind[best] as number] ?? 'article') : kindOfAnchor(anchor);
    const matchedTerms: string[] = [];
    query.terms.forEach((t, ti) => {
      if (((s.artMask[a * words + (ti >>> 5)] as number) >>> (ti & 31)) & 1) matchedTerms.push(t.term);
    });
    hits.push({
      articleId: index.articleIds[a] as string,
      score: topScore[r] as number,
      section: { anchor, kind: kind === 'article' ? kindOfAnchor(anchor) : kind },
      matchedTerms,
    });
  }
  return { engine: 'embedded', degraded: false, total, hits };
}

/**
 * Adds one term's postings (`post[from .. to)`: pairs of document and packed
 * field length / field / term frequency) to the accumulators. The hot loop of
 * every query: two random reads per posting (the document's tag and its
 * accumulator line), no closures, no allocation. With `create` false only
 * documents of articles already found are scored.
 */
function scan(index: PostingsIndex, s: Scratch, post: Int32Array, from: number, to: number, create: boolean): void {
  const { docTag, artProduct, artCategory } = index;
  const { doc, stride, touchedDocs, artStamp, stamp, gates, product, category, term, words, weight, normA, normB } = s;
  const filtered = product >= 0 || category >= 0;
  const slot = 3 + (term >>> 5);
  const bit = 1 << (term & 31);
  let nDocs = s.nDocs;
  for (let i = from; i < to; i += 2) {
    const d = post[i] as number;
    const tag = docTag[d] as number;
    if (!(tag & gates)) continue;
    if (
      filtered &&
      ((product >= 0 && artProduct[tag >>> 3] !== product) || (category >= 0 && artCategory[tag >>> 3] !== category))
    ) {
      continue;
    }
    const base = d * stride;
    if (doc[base] !== stamp) {
      if (!create && artStamp[tag >>> 3] !== stamp) continue;
      doc[base] = stamp;
      doc[base + 1] = 0;
      doc[base + 2] = 0;
      for (let w = 0; w < words; w++) doc[base + 3 + w] = 0;
      touchedDocs[nDocs++] = d;
    }
    const packed = post[i + 1] as number;
    const f = postingField(packed);
    const tf = postingTf(packed);
    const norm = (normA[f] as number) + (normB[f] as number) * postingLength(packed);
    doc[base + 1] = (doc[base + 1] as number) + (weight[f] as number) * (DELTA + (tf * (K1 + 1)) / (tf + norm));
    const mask = doc[base + slot] as number;
    if (!(mask & bit)) {
      doc[base + slot] = mask | bit;
      doc[base + 2] = (doc[base + 2] as number) + 1;
    }
  }
  s.nDocs = nDocs;
}

/** The section an article document stands for in a scope, when only title or questions matched. */
function anchorOfArticleDoc(index: PostingsIndex, d: number, scope: EngineQuery['scope']): string | undefined {
  if (d < 0) return undefined;
  return (scope === 'public' ? index.docPublicAnchor[d] : index.docAnchor[d]) ?? undefined;
}

/** -1: no filter; -2: a value no article has (so nothing matches); else the label id. */
function labelFilter(index: PostingsIndex, value: string | undefined): number {
  if (value === undefined) return -1;
  return index.labelIndex.get(value) ?? -2;
}

function scratchFor(index: PostingsIndex, words: number): Scratch {
  const docs = index.docCount;
  const arts = index.articleIds.length;
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
      term: 0,
      weight: new Float64Array(FIELD_COUNT),
      normA: new Float64Array(FIELD_COUNT),
      normB: new Float64Array(FIELD_COUNT),
    };
    scratches.set(index, s);
  }
  const stride = 3 + words;
  if (s.stride !== stride) {
    // A new stride moves every document's stamp: start the accumulators from zero.
    s.doc = new Float64Array(s.touchedDocs.length * stride);
    s.stride = stride;
  }
  if (s.artMask.length < s.artStamp.length * words) s.artMask = new Int32Array(s.artStamp.length * words);
  s.words = words;
  return s;
}

function resetStamps(s: Scratch): number {
  s.doc.fill(0);
  s.artStamp.fill(0);
  return 1;
}
