import type { EngineHit, EngineQuery, EngineResult } from '../search-engine.js';
import { scoreBlocks } from './block-search.js';
import { DOC_KINDS, kindOfAnchor } from './index-docs.js';
import { FIELD_COUNT, gatesOf, type PostingsIndex } from './postings-index.js';
import { anchorOfArticleDoc, B, createTop, K1, planQuery, scan, scoreRegion, type Top } from './postings-scan.js';
import type { PostingsView } from './postings-view.js';
import { type Scratch, scratchFor } from './query-scratch.js';

export type SearchOptions = {
  /**
   * Score every posting instead of skipping the articles that cannot reach the
   * top k. Same hits, same scores; `total` is then always exact. The tests and
   * `npm run eval` compare the two; nothing else needs it.
   */
  exhaustive?: boolean;
};

/**
 * Runs a query:
 * 1. `prepare`: filters, scope gates, BM25 length norms, scratch space;
 *    `planQuery`: the terms expanded (prefix, fuzzy) with their weights;
 * 2. the delta segment (documents edited since the last compaction) is scored
 *    in full;
 * 3. the main segment, article by article as far as the bounds allow
 *    (block-search.ts): the articles whose score bound reaches the k-th best
 *    score found are scored exactly, the others are only counted;
 * 4. the page, with each article's section and matched terms.
 * Each scored article is offered to a bounded insertion of the top
 * `offset + limit`: nothing is materialized or sorted for the other matches.
 */
export function searchPostings(index: PostingsIndex, query: EngineQuery, options: SearchOptions = {}): EngineResult {
  const view = index.view();
  const s = prepare(index, view, query);
  if (!s) return { engine: 'embedded', degraded: false, total: 0, totalIsEstimate: false, hits: [] };
  const plan = planQuery(view, query);
  const top = createTop(query.offset + query.limit);
  const blocks = options.exhaustive || top.k === 0 ? undefined : view.blocks();
  let unscored = 0;
  if (blocks) {
    scoreRegion(view, s, plan, top, query.scope, (i, create) => {
      const run = view.delta.get(plan.term[i] as number);
      if (run) scan(view, s, run.data, 0, run.length, create);
    });
    unscored = scoreBlocks(view, s, plan, top, blocks, query.scope);
  } else {
    scoreRegion(view, s, plan, top, query.scope, (i, create) => {
      const t = plan.term[i] as number;
      if (t < view.mainTerms) {
        scan(view, s, view.post, 2 * (view.postStart[t] as number), 2 * (view.postStart[t + 1] as number), create);
      }
      const run = view.delta.get(t);
      if (run) scan(view, s, run.data, 0, run.length, create);
    });
  }
  return {
    engine: 'embedded',
    degraded: false,
    // Articles left unscored are counted, not judged: an estimate (see scoreBlocks).
    total: top.total + unscored,
    totalIsEstimate: unscored > 0,
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

/** -1: no filter; -2: a value no article has (so nothing matches); else the label id. */
function labelFilter(view: PostingsView, value: string | undefined): number {
  if (value === undefined) return -1;
  return view.labelIndex.get(value) ?? -2;
}
