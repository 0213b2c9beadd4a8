import { DOC_KINDS, KIND_PRIOR, kindOfAnchor, VISIBILITY_CODES } from './index-docs.js';
import { FIELD_BOOSTS, FIELD_COUNT, lowerBound, type PostingsIndex } from './postings-index.js';
import type { EngineHit, EngineQuery, EngineResult, Visibility } from './search-engine.js';
import { visibilitiesFor } from './search-engine.js';

/**
 * BM25+ exactly as MiniSearch computes it (k1, b, delta; per-field document
 * frequency and average length; a document's score multiplied by how many
 * distinct query terms it matched), with the same prefix and fuzzy weights, so
 * rankings tuned on the evaluation set carry over unchanged.
 */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
const PREFIX_WEIGHT = 0.5;
const FUZZY_WEIGHT = 0.4;
/** Edit-distance tolerance only makes sense for Latin words (wifi, router models). */
const FUZZY_TERM = /^[a-z][a-z0-9]{3,}$/;
const PRIORS = Float64Array.from(DOC_KINDS, (k) => (k === 'article' ? 1 : (KIND_PRIOR[k] ?? 1)));

/** Per-query scratch space, reused: a query allocates nothing per posting. */
type Scratch = {
  docStamp: Int32Array;
  docScore: Float64Array;
  docTerms: Uint16Array;
  docLastTerm: Int32Array;
  touchedDocs: Int32Array;
  artStamp: Int32Array;
  artDocScore: Float64Array;
  artBest: Float64Array;
  artBestDoc: Int32Array;
  artArticleDoc: Int32Array;
  touchedArts: Int32Array;
  artMask: Uint32Array;
  stamp: number;
};

const scratches = new WeakMap<PostingsIndex, Scratch>();

/**
 * Runs a query: every posting of every query term (and its prefix / fuzzy
 * expansions) adds to a per-document accumulator, scope and filters are
 * checked per posting, then documents fold into articles (article document +
 * best section, with the section-kind prior) and a bounded insertion keeps the
 * top `offset + limit` — nothing is materialized or sorted for the thousands
 * of other matches.
 */
export function searchPostings(index: PostingsIndex, query: EngineQuery): EngineResult {
  const none: EngineResult = { engine: 'embedded', degraded: false, total: 0, hits: [] };
  if (query.terms.length === 0 || index.liveDocs === 0) return none;
  const product = labelFilter(index, query.filters.product);
  const category = labelFilter(index, query.filters.category);
  if (product === -2 || category === -2) return none;
  const visMask = visibilitiesFor(query.scope).reduce((m, v: Visibility) => m | (1 << VISIBILITY_CODES[v]), 0);

  const words = Math.ceil(query.terms.length / 32);
  const s = scratchFor(index, words);
  s.stamp = s.stamp >= 0x7ffffff0 ? resetStamps(s) : s.stamp + 1;
  const stamp = s.stamp;
  const { docAlive, docVis, docArticle, docLen, artProduct, artCategory, df } = index;
  const { docStamp, docScore, docTerms, docLastTerm, touchedDocs, artStamp, artMask, touchedArts } = s;
  const avg = new Float64Array(FIELD_COUNT);
  for (let f = 0; f < FIELD_COUNT; f++) avg[f] = (index.lenSum[f] as number) / index.liveDocs;
  const idf = new Float64Array(FIELD_COUNT);
  const n = index.liveDocs;
  let nDocs = 0;
  let nArts = 0;

  const typed = query.terms.filter((t) => t.origin === 'query');
  const lastTyped = query.prefixLast ? typed.at(-1)?.term : undefined;
  const primary = new Uint32Array(words);
  query.terms.forEach((t, ti) => {
    if (!t.supporting) primary[ti >>> 5] = (primary[ti >>> 5] as number) | (1 << (ti & 31));
  });

  for (let ti = 0; ti < query.terms.length; ti++) {
    const qt = query.terms[ti] as EngineQuery['terms'][number];
    for (const [t, weight] of expand(index, qt.term, qt.term === lastTyped)) {
      const k = qt.weight * weight;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const m = df[t * FIELD_COUNT + f] as number;
        idf[f] = Math.log(1 + (n - m + 0.5) / (m + 0.5));
      }
      const visit = (d: number, f: number, tf: number) => {
        if (!docAlive[d] || !((visMask >> (docVis[d] as number)) & 1)) return;
        const a = docArticle[d] as number;
        if ((product >= 0 && artProduct[a] !== product) || (category >= 0 && artCategory[a] !== category)) return;
        if (docStamp[d] !== stamp) {
          docStamp[d] = stamp;
          docScore[d] = 0;
          docTerms[d] = 0;
          docLastTerm[d] = -1;
          touchedDocs[nDocs++] = d;
        }
        const norm = 1 - B + (B * (docLen[d * FIELD_COUNT + f] as number)) / (avg[f] as number);
        docScore[d] =
          (docScore[d] as number) +
          k * (FIELD_BOOSTS[f] as number) * (idf[f] as number) * (DELTA + (tf * (K1 + 1)) / (tf + K1 * norm));
        if (docLastTerm[d] !== ti) {
          docLastTerm[d] = ti;
          docTerms[d] = (docTerms[d] as number) + 1;
        }
        if (artStamp[a] !== stamp) {
          artStamp[a] = stamp;
          artMask.fill(0, a * words, (a + 1) * words);
          touchedArts[nArts++] = a;
        }
        artMask[a * words + (ti >>> 5)] = (artMask[a * words + (ti >>> 5)] as number) | (1 << (ti & 31));
      };
      if (t < index.mainTerms) {
        const end = index.postStart[t + 1] as number;
        for (let i = index.postStart[t] as number; i < end; i++) {
          visit(index.postDoc[i] as number, index.postField[i] as number, index.postTf[i] as number);
        }
      }
      const run = index.delta.get(t);
      if (run)
        for (let j = 0; j < run.length; j += 3) visit(run[j] as number, run[j + 1] as number, run[j + 2] as number);
    }
  }

  // Fold documents into articles.
  for (let i = 0; i < nArts; i++) {
    const a = s.touchedArts[i] as number;
    s.artDocScore[a] = 0;
    s.artBest[a] = -1;
    s.artBestDoc[a] = -1;
    s.artArticleDoc[a] = -1;
  }
  for (let i = 0; i < nDocs; i++) {
    const d = s.touchedDocs[i] as number;
    const a = docArticle[d] as number;
    const score = (s.docScore[d] as number) * (s.docTerms[d] as number);
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
    let hasPrimary = false;
    for (let w = 0; w < words; w++)
      if ((s.artMask[a * words + w] as number) & (primary[w] as number)) hasPrimary = true;
    if (!hasPrimary) continue; // only chance characters in common
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

/** The term itself, plus prefix expansions of the last typed word and fuzzy ones of Latin words. */
function expand(index: PostingsIndex, term: string, prefix: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const exact = index.termIndex.get(term);
  if (exact !== undefined) out.push([exact, 1]);
  const fuzzy = FUZZY_TERM.test(term);
  if (!prefix && !fuzzy) return out;
  const sorted = index.ensureSorted();
  const prefixed = new Set<string>();
  if (prefix) {
    for (let i = lowerBound(sorted, term); i < sorted.length; i++) {
      const candidate = sorted[i] as string;
      if (!candidate.startsWith(term)) break;
      if (candidate === term) continue;
      prefixed.add(candidate);
      const distance = candidate.length - term.length;
      out.push([
        index.termIndex.get(candidate) as number,
        (PREFIX_WEIGHT * candidate.length) / (candidate.length + 0.3 * distance),
      ]);
    }
  }
  if (fuzzy) {
    // Latin terms sort between 'a' and '{' (after digits, before CJK and the gram markers).
    for (let i = lowerBound(sorted, 'a'); i < sorted.length; i++) {
      const candidate = sorted[i] as string;
      if (candidate >= '{') break;
      if (candidate === term || prefixed.has(candidate) || !withinOneEdit(term, candidate)) continue;
      out.push([index.termIndex.get(candidate) as number, (FUZZY_WEIGHT * candidate.length) / (candidate.length + 1)]);
    }
  }
  return out;
}

/** Levenshtein distance ≤ 1 (one insertion, deletion or substitution). */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
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
  if (!s || s.docStamp.length < docs || s.artStamp.length < arts) {
    const dc = Math.max(docs, 16) * 2;
    const ac = Math.max(arts, 16) * 2;
    s = {
      docStamp: new Int32Array(dc),
      docScore: new Float64Array(dc),
      docTerms: new Uint16Array(dc),
      docLastTerm: new Int32Array(dc),
      touchedDocs: new Int32Array(dc),
      artStamp: new Int32Array(ac),
      artDocScore: new Float64Array(ac),
      artBest: new Float64Array(ac),
      artBestDoc: new Int32Array(ac),
      artArticleDoc: new Int32Array(ac),
      touchedArts: new Int32Array(ac),
      artMask: new Uint32Array(ac * Math.max(words, 2)),
      stamp: s?.stamp ?? 0,
    };
    scratches.set(index, s);
  }
  if (s.artMask.length < s.artStamp.length * words) s.artMask = new Uint32Array(s.artStamp.length * words);
  return s;
}

function resetStamps(s: Scratch): number {
  s.docStamp.fill(0);
  s.artStamp.fill(0);
  return 1;
}
