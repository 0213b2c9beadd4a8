import type { EngineQuery } from '../search-engine.js';
import { DOC_KINDS, FIELD_BOOST, FIELDS, KIND_PRIOR } from './index-docs.js';
import { FIELD_COUNT } from './postings-index.js';
import { postingField, postingLength, postingTf, type ReadonlyInts } from './postings-layout.js';
import type { PostingsView } from './postings-view.js';
import type { Scratch } from './query-scratch.js';
import { expandTerm } from './term-expansion.js';

/**
 * Scoring a region of the index (every document, the delta segment, or a
 * batch of article blocks) with BM25+ exactly as MiniSearch computes it (k1,
 * b, delta; per-field document frequency and average length; a document's
 * score multiplied by how many distinct query terms it matched), with the same
 * prefix and fuzzy weights (term-expansion.ts), so rankings tuned on the
 * evaluation set carry over unchanged. Every region adds a document's
 * postings in the same order (the typed words and their expansions in query
 * order, then the supporting terms), so a document scores the same bits
 * whichever region it is scored in.
 */
export const K1 = 1.2;
export const B = 0.7;
export const DELTA = 0.5;
const FIELD_BOOSTS = Float64Array.from(FIELDS, (f) => FIELD_BOOST[f]);
const PRIORS = Float64Array.from(DOC_KINDS, (k) => (k === 'article' ? 1 : (KIND_PRIOR[k] ?? 1)));
/** The largest section-kind prior: a bound on what a section adds to its article. */
export const MAX_PRIOR = Math.max(1, ...PRIORS.subarray(1));

/**
 * The query's terms as scanned: one entry per index term (a typed word, a
 * synonym, a gram, or a prefix or fuzzy expansion of one), those that may find
 * an article first, then the supporting ones, each in query order.
 */
export type Plan = {
  /** Entries `0 .. creating` may find articles; the rest only add to articles found. */
  creating: number;
  size: number;
  /** The query's terms (the range of `queryTerm`). */
  queryTerms: number;
  /** Per entry: the index term, and the query term it stands for (its bit in the matched-term mask). */
  term: Int32Array;
  queryTerm: Int32Array;
  /** Per entry, FIELD_COUNT numbers: query-term weight × expansion weight × field boost × idf. */
  weight: Float64Array;
};

/** The best `k` articles so far in score order (ties: the lower article number first), and how many matched at all. */
export type Top = { k: number; articles: Int32Array; scores: Float64Array; size: number; total: number };

/** The query's plan: its terms expanded, with their BM25 weights in the query's scope. */
export function planQuery(view: PostingsView, query: EngineQuery): Plan {
  const { docs: n, df } = view.stats[query.scope];
  const lastTyped = query.prefixLast ? query.terms.filter((t) => t.origin === 'query').at(-1)?.term : undefined;
  const entries: Array<[number, number, number, number]> = [];
  for (const supporting of [false, true]) {
    query.terms.forEach((qt, ti) => {
      if (Boolean(qt.supporting) !== supporting) return;
      for (const [t, weight] of expandTerm(view, qt.term, qt.term === lastTyped)) {
        entries.push([t, ti, qt.weight * weight, supporting ? 1 : 0]);
      }
    });
  }
  const size = entries.length;
  const plan: Plan = {
    creating: entries.filter((e) => e[3] === 0).length,
    size,
    queryTerms: query.terms.length,
    term: new Int32Array(size),
    queryTerm: new Int32Array(size),
    weight: new Float64Array(size * FIELD_COUNT),
  };
  entries.forEach(([t, ti, w], i) => {
    plan.term[i] = t;
    plan.queryTerm[i] = ti;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const m = df[t * FIELD_COUNT + f] as number;
      plan.weight[i * FIELD_COUNT + f] = w * (FIELD_BOOSTS[f] as number) * Math.log(1 + (n - m + 0.5) / (m + 0.5));
    }
  });
  return plan;
}

export function createTop(k: number): Top {
  return { k, articles: new Int32Array(k), scores: new Float64Array(k), size: 0, total: 0 };
}

/**
 * Scores one region: `scanEntry(i, create)` adds plan entry i's postings of
 * the region (s.weight and s.term set). The typed terms may create article
 * records, the supporting terms add only to articles the region already
 * found, and the region's articles are then offered to `top`.
 */
export function scoreRegion(
  view: PostingsView,
  s: Scratch,
  plan: Plan,
  top: Top,
  scope: EngineQuery['scope'],
  scanEntry: (i: number, create: boolean) => void,
): void {
  const firstDoc = s.nDocs;
  const firstArt = s.nArts;
  for (let i = 0; i < plan.size; i++) {
    if (i === plan.creating) openArticles(view, s, firstDoc);
    s.term = plan.queryTerm[i] as number;
    for (let f = 0; f < FIELD_COUNT; f++) s.weight[f] = plan.weight[i * FIELD_COUNT + f] as number;
    scanEntry(i, i < plan.creating);
  }
  if (plan.creating === plan.size) openArticles(view, s, firstDoc);
  foldArticles(view, s, firstDoc);
  offerArticles(view, s, top, scope, firstArt);
}

/**
 * Adds one term's postings (`post[from .. to)`: pairs of document and packed
 * field length / field / term frequency) to the accumulators. The hot loop of
 * every query: two random reads per posting (the document's tag and its
 * accumulator line), no closures, no allocation. With `create` false only
 * documents of articles already found are scored.
 */
export function scan(
  view: PostingsView,
  s: Scratch,
  post: ReadonlyInts,
  from: number,
  to: number,
  create: boolean,
): void {
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

/** Starts a record for every article of the documents touched since `firstDoc` (each had a typed word). */
function openArticles(view: PostingsView, s: Scratch, firstDoc: number): void {
  const { words } = s;
  for (let i = firstDoc; i < s.nDocs; i++) {
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
function foldArticles(view: PostingsView, s: Scratch, firstDoc: number): void {
  const { doc, stride, words } = s;
  for (let i = firstDoc; i < s.nDocs; i++) {
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

/** Bounded insertion of the articles opened since `firstArt`: keeps the best `k`, counts every match. */
function offerArticles(view: PostingsView, s: Scratch, top: Top, scope: EngineQuery['scope'], firstArt: number): void {
  const { k, articles, scores } = top;
  for (let i = firstArt; i < s.nArts; i++) {
    const a = s.touchedArts[i] as number;
    if ((s.artBestDoc[a] as number) < 0 && !anchorOfArticleDoc(view, s.artArticleDoc[a] as number, scope)) continue;
    top.total++;
    const score = (s.artDocScore[a] as number) + Math.max(0, s.artBest[a] as number);
    if (k === 0 || (top.size === k && !ranksAbove(score, a, scores[k - 1] as number, articles[k - 1] as number))) {
      continue;
    }
    let j = top.size < k ? top.size++ : k - 1;
    while (j > 0 && ranksAbove(score, a, scores[j - 1] as number, articles[j - 1] as number)) {
      scores[j] = scores[j - 1] as number;
      articles[j] = articles[j - 1] as number;
      j--;
    }
    scores[j] = score;
    articles[j] = a;
  }
}

/** Score order; equal scores by article number, so the order does not depend on which region scored first. */
function ranksAbove(score: number, article: number, otherScore: number, otherArticle: number): boolean {
  return score > otherScore || (score === otherScore && article < otherArticle);
}

/** The section an article document stands for in a scope, when only title or questions matched. */
export function anchorOfArticleDoc(view: PostingsView, d: number, scope: EngineQuery['scope']): string | undefined {
  if (d < 0) return undefined;
  return (scope === 'public' ? view.docPublicAnchor[d] : view.docAnchor[d]) ?? undefined;
}
