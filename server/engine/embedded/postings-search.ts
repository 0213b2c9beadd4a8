import type { EngineHit, EngineQuery, EngineResult } from '../search-engine.js';
import { DOC_KINDS, FIELD_BOOST, FIELDS, KIND_PRIOR, kindOfAnchor } from './index-docs.js';
import { FIELD_COUNT, gatesOf, type PostingsIndex } from './postings-index.js';
import { postingField, postingLength, postingTf, type ReadonlyInts } from './postings-layout.js';
import type { PostingsView } from './postings-view.js';
import { type Scratch, scratchFor } from './query-scratch.js';
import { expandTerm } from './term-expansion.js';

/**
 * BM25+ exactly as MiniSearch computes it (k1, b, delta; per-field document
 * frequency and average length; a document's score multiplied by how many
 * distinct query terms it matched), with the same prefix and fuzzy weights
 * (term-expansion.ts), so rankings tuned on the evaluation set carry over unchanged.
 * The statistics are the query's scope's (PostingsView.stats): a public query
 * counts public documents only, so its scores are those of an index holding
 * public content alone.
 */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
const FIELD_BOOSTS = Float64Array.from(FIELDS, (f) => FIELD_BOOST[f]);
const PRIORS = Float64Array.from(DOC_KINDS, (k) => (k === 'article' ? 1 : (KIND_PRIOR[k] ?? 1)));

/** The best `offset + limit` articles in score order, and how many articles matched at all. */
type Top = { articles: Int32Array; scores: Float64Array; size: number; total: number };

/**
 * Runs a query, in phases:
 * 1. `prepare`: filters, scope gates, BM25 length norms, scratch space;
 * 2. `addPostings` of the typed words and their synonyms (and prefix / fuzzy
 *    expansions) to per-document accumulators, scope and filters checked per posting;
 * 3. `openArticles`: a record per article those found;
 * 4. `addPostings` of the supporting terms (single-character grams), only to
 *    articles a typed word already found, since an article matching nothing else is never a result;
 * 5. `foldArticles`: documents into articles (article document + best section, with the section-kind prior);
 * 6. `selectTop`: a bounded insertion keeps the top `offset + limit`, nothing
 *    is materialized or sorted for the thousands of other matches;
 * 7. `toHits`: the page, with each article's section and matched terms.
 */
export function searchPostings(index: PostingsIndex, query: EngineQuery): EngineResult {
  const view = index.view();
  const s = prepare(index, view, query);
  if (!s) return { engine: 'embedded', degraded: false, total: 0, totalIsEstimate: false, hits: [] };
  addPostings(view, s, query, false);
  openArticles(view, s);
  addPostings(view, s, query, true);
  foldArticles(view, s);
  const top = selectTop(view, s, query);
  // Every match is counted: the embedded total is exact.
  return {
    engine: 'embedded',
    degraded: false,
    total: top.total,
    totalIsEstimate: false,
    hits: toHits(view, s, query, top),
  };
}

/** The query's scratch space, set up; undefined when nothing can match. */
function prepare(index: PostingsIndex, view: PostingsView, query: EngineQuery): Scratch | undefined {
  const stats = view.stats[query.scope];
  if (query.terms.length === 0 || stats.docs === 0) return undefined;
  const product = labelFilter(view, query.filters.product);
  const category = labelFilter(view, query.filters.category);
  if (product === -2 || category === -2) return undefined;
  const s = scratchFor(index, view, Math.ceil(query.terms.length / 32));
  s.gates = gatesOf(query.scope);
  s.product = product;
  s.category = category;
  const n = stats.docs;
  for (let f = 0; f < FIELD_COUNT; f++) {
    // K1 * (1 - B + B * length / average), split so a posting costs one multiply-add.
    s.normA[f] = K1 * (1 - B);
    s.normB[f] = (K1 * B * n) / (stats.lenSum[f] as number);
  }
  return s;
}

/** Adds the postings of the query's supporting terms, or of all the others, in query order. */
function addPostings(view: PostingsView, s: Scratch, query: EngineQuery, supporting: boolean): void {
  const { docs: n, df } = view.stats[query.scope];
  const lastTyped = query.prefixLast ? query.terms.filter((t) => t.origin === 'query').at(-1)?.term : undefined;
  query.terms.forEach((qt, ti) => {
    if (Boolean(qt.supporting) !== supporting) return;
    s.term = ti;
    for (const [t, weight] of expandTerm(view, qt.term, qt.term === lastTyped)) {
      for (let f = 0; f < FIELD_COUNT; f++) {
        const m = df[t * FIELD_COUNT + f] as number;
        s.weight[f] = qt.weight * weight * (FIELD_BOOSTS[f] as number) * Math.log(1 + (n - m + 0.5) / (m + 0.5));
      }
      if (t < view.mainTerms) {
        scan(view, s, view.post, 2 * (view.postStart[t] as number), 2 * (view.postStart[t + 1] as number), !supporting);
      }
      const run = view.delta.get(t);
      if (run) scan(view, s, run.data, 0, run.length, !supporting);
    }
  });
}

/** Starts a record for every article found so far (each had a typed word), so supporting terms can add to it. */
function openArticles(view: PostingsView, s: Scratch): void {
  const { words } = s;
  for (let i = 0; i < s.nDocs; i++) {
    const a = (view.docTag[s.touchedDocs[i] as number] as number) >>> 3;
    if (s.artStamp[a] === s.stamp) continue;
    s.artStamp[a] = s.stamp;
    s.artDocScore[a] = 0;
    s.artBest[a] = -1;
    s.artBestDoc[a] = -1;
    s.artArticleDoc[a] = -1;
    for (let w = 0; w < words; w++) s.artMask[a * words + w] = 0;
    s.touchedArts[s.nArts++] = a;
  }
}

/** Each article's score: its article document's, plus its best section's times the section-kind prior. */
function foldArticles(view: PostingsView, s: Scratch): void {
  const { doc, stride, words } = s;
  for (let i = 0; i < s.nDocs; i++) {
    const d = s.touchedDocs[i] as number;
    const a = (view.docTag[d] as number) >>> 3;
    const base = d * stride;
    for (let w = 0; w < words; w++) {
      s.artMask[a * words + w] = (s.artMask[a * words + w] as number) | (doc[base + 3 + w] as number);
    }
    const score = (doc[base + 1] as number) * (doc[base + 2] as number);
    const kind = view.docKind[d] as number;
    if (kind === 0) {
      s.artDocScore[a] = score;
      s.artArticleDoc[a] = d;
    } else if (score * (PRIORS[kind] as number) > (s.artBest[a] as number)) {
      s.artBest[a] = score * (PRIORS[kind] as number);
      s.artBestDoc[a] = d;
    }
  }
}

/** Bounded insertion: keeps the best `offset + limit` articles, in score order, and counts every match. */
function selectTop(view: PostingsView, s: Scratch, query: EngineQuery): Top {
  const k = query.offset + query.limit;
  const top: Top = { articles: new Int32Array(k), scores: new Float64Array(k), size: 0, total: 0 };
  const { articles, scores } = top;
  for (let i = 0; i < s.nArts; i++) {
    const a = s.touchedArts[i] as number;
    if ((s.artBestDoc[a] as number) < 0 && !anchorOfArticleDoc(view, s.artArticleDoc[a] as number, query.scope)) {
      continue;
    }
    top.total++;
    const score = (s.artDocScore[a] as number) + Math.max(0, s.artBest[a] as number);
    if (k === 0 || (top.size === k && score <= (scores[k - 1] as number))) continue;
    let j = top.size < k ? top.size++ : k - 1;
    while (j > 0 && (scores[j - 1] as number) < score) {
      scores[j] = scores[j - 1] as number;
      articles[j] = articles[j - 1] as number;
      j--;
    }
    scores[j] = score;
    articles[j] = a;
  }
  return top;
}

/** The requested page of the top articles, each with its section and the query terms it matched. */
function toHits(view: PostingsView, s: Scratch, query: EngineQuery, top: Top): EngineHit[] {
  const { words } = s;
  const hits: EngineHit[] = [];
  for (let r = query.offset; r < top.size; r++) {
    const a = top.articles[r] as number;
    const best = s.artBestDoc[a] as number;
    const anchor =
      best >= 0
        ? (view.docAnchor[best] as string)
        : (anchorOfArticleDoc(view, s.artArticleDoc[a] as number, query.scope) as string);
    const kind = best >= 0 ? (DOC_KINDS[view.docKind[best] as number] ?? 'article') : kindOfAnchor(anchor);
    const matchedTerms: string[] = [];
    query.terms.forEach((t, ti) => {
      if (((s.artMask[a * words + (ti >>> 5)] as number) >>> (ti & 31)) & 1) matchedTerms.push(t.term);
    });
    hits.push({
      articleId: view.articleIds[a] as string,
      score: top.scores[r] as number,
      section: { anchor, kind: kind === 'article' ? kindOfAnchor(anchor) : kind },
      matchedTerms,
    });
  }
  return hits;
}

/**
 * Adds one term's postings (`post[from .. to)`: pairs of document and packed
 * field length / field / term frequency) to the accumulators. The hot loop of
 * every query: two random reads per posting (the document's tag and its
 * accumulator line), no closures, no allocation. With `create` false only
 * documents of articles already found are scored.
 */
function scan(view: PostingsView, s: Scratch, post: ReadonlyInts, from: number, to: number, create: boolean): void {
  const { docTag, artProduct, artCategory } = view;
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
function anchorOfArticleDoc(view: PostingsView, d: number, scope: EngineQuery['scope']): string | undefined {
  if (d < 0) return undefined;
  return (scope === 'public' ? view.docPublicAnchor[d] : view.docAnchor[d]) ?? undefined;
}

/** -1: no filter; -2: a value no article has (so nothing matches); else the label id. */
function labelFilter(view: PostingsView, value: string | undefined): number {
  if (value === undefined) return -1;
  return view.labelIndex.get(value) ?? -2;
}
