import type { AnalyzedQuery, Analyzer } from '../analyze/analyzer.js';
import type { EngineHit, Scope } from '../engine/search-engine.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import type { SectionKind } from '../parse/article.js';
import { type Article, isPublicSection, type Section } from '../parse/article.js';
import { type MatchQuality, matchQuality } from './match-quality.js';
import { RERANK_WINDOW, rerank, type Similarity, type Surface, toSurface } from './rerank.js';
import { buildSnippet } from './snippet.js';

export type SearchParams = {
  q: string;
  scope: Scope;
  product?: string;
  category?: string;
  limit: number;
  offset: number;
  /** Treat the last word as a prefix (search-as-you-type). Default true. */
  prefix?: boolean;
};

export type SearchHit = {
  id: string;
  title: string;
  product: string;
  category: string;
  score: number;
  stale: boolean;
  section: { kind: SectionKind; heading: string; anchor: string; snippet: string };
};

export type SearchOutcome = {
  engine: 'embedded' | 'meilisearch';
  degraded: boolean;
  tookMs: number;
  total: number;
  /** `total` is the engine's estimate (see EngineResult); the hits of the page are exact either way. */
  totalIsEstimate: boolean;
  query: AnalyzedQuery;
  hits: SearchHit[];
  /** Engine hits behind `hits`, same order (scores after rescoring): the answer stage reads matched terms from them. */
  raw: EngineHit[];
  /** What the answer stage judges confidence from, one per hit, same order. */
  evidence: HitEvidence[];
  /**
   * No result covers the query well enough to be an answer: none matches an
   * informative word of it. Agents still get the loose matches in `hits`; the
   * public scope gets only hits with an informative match.
   */
  noGoodMatch: boolean;
};

export type HitEvidence = MatchQuality & { similarity: Similarity };

/**
 * Runs a query for one scope: analyze, search the engine (scope and filters
 * enforced inside the engine query), then dress each hit with its article and
 * a highlighted snippet of its best section, taken from the text that scope
 * may see.
 */
export async function searchKnowledgeBase(kb: KnowledgeBase, params: SearchParams): Promise<SearchOutcome> {
  const started = performance.now();
  const query = kb.analyzer.analyzeQuery(params.q);
  const window = Math.max(params.offset + params.limit, RERANK_WINDOW);
  const result = await kb.engine.search({
    terms: query.terms,
    prefixLast: params.prefix ?? true,
    scope: params.scope,
    filters: { product: params.product, category: params.category },
    limit: window,
    offset: 0,
  });
  const terms = highlightTerms(query);
  const today = new Date().toISOString().slice(0, 10);
  const ranked = rerank(result.hits, query.canonical, (id) => surfacesOf(kb, id, params.scope));
  // Judged lazily: agents need it for the hits on the page and up to the first good one.
  const judgements = new Map<number, MatchQuality>();
  const judge = (i: number): MatchQuality => {
    let quality = judgements.get(i);
    if (!quality) {
      quality = matchQuality(query, ranked[i]);
      judgements.set(i, quality);
    }
    return quality;
  };
  const good = (i: number) => judge(i).informative;
  const noGoodMatch = !ranked.some((_, i) => good(i));
  // The public scope shows only hits with an informative match: a customer cannot judge a loose match
  // and has no one to ask. (A coverage bar on top was measured and left out: it pushed right answers
  // down without hiding more wrong ones, docs/relevance.md.)
  const shown = ranked.map((hit, i) => ({ hit, i })).filter(({ i }) => params.scope !== 'public' || good(i));
  // Public: what was judged away is not counted. With no good match at all, nothing further down is
  // either; otherwise the engine's matches beyond the judged window count as they are.
  const beyond = Math.max(0, result.total - ranked.length);
  const total = shown.length === ranked.length ? result.total : noGoodMatch ? 0 : shown.length + beyond;
  const hits: SearchHit[] = [];
  const raw: EngineHit[] = [];
  const evidence: HitEvidence[] = [];
  for (const { hit, i } of shown.slice(params.offset, params.offset + params.limit)) {
    const quality = judge(i);
    const article = kb.getArticle(hit.articleId, params.scope);
    const section = article && findSection(article, hit.section.anchor, params.scope);
    if (!article || !section) continue; // the engine is a step ahead of a reload: skip, never guess
    raw.push(hit);
    evidence.push({ ...quality, similarity: hit.similarity });
    hits.push({
      id: article.id,
      title: article.title,
      product: article.product,
      category: article.category,
      score: Math.round(hit.score * 1e6) / 1e6,
      stale: isStale(article, today),
      section: {
        kind: section.kind,
        heading: section.heading,
        anchor: section.anchor,
        snippet: buildSnippet(params.scope === 'public' ? section.publicText : section.text, terms),
      },
    });
  }
  return {
    engine: result.engine,
    degraded: result.degraded,
    tookMs: Math.round((performance.now() - started) * 100) / 100,
    total,
    totalIsEstimate: result.totalIsEstimate,
    query,
    hits,
    raw,
    evidence,
    noGoodMatch,
  };
}

/**
 * Words to mark in snippets: the typed words and their synonyms. Single
 * characters only when nothing longer was typed: 上 and 点 of a longer
 * question marked all over a section explain nothing.
 */
export function highlightTerms(query: AnalyzedQuery): string[] {
  const words = query.terms.filter((t) => t.origin === 'query' || t.origin === 'synonym').map((t) => t.term);
  const long = words.filter((w) => w.length > 1);
  return long.length > 0 ? long : words;
}

/**
 * An article's title and similar questions as rescoring reads them, once per
 * article and analyzer: articles are immutable (an edit makes a new one), the
 * analyzer changes with the lexicon.
 */
const surfaces = new WeakMap<Article, { analyzer: Analyzer; surfaces: Surface[] }>();

function surfacesOf(kb: KnowledgeBase, id: string, scope: Scope): Surface[] | undefined {
  const article = kb.getArticle(id, scope);
  if (!article) return undefined;
  const cached = surfaces.get(article);
  if (cached?.analyzer === kb.analyzer) return cached.surfaces;
  const list = [article.title, ...article.questions].map((text) => toSurface(kb.analyzer.canonicalText(text)));
  surfaces.set(article, { analyzer: kb.analyzer, surfaces: list });
  return list;
}

export function findSection(article: Article, anchor: string, scope: Scope): Section | undefined {
  const section = article.sections.find((s) => s.anchor === anchor);
  if (!section || (scope === 'public' && !isPublicSection(section))) return undefined;
  return section;
}

export function isStale(article: Article, today = new Date().toISOString().slice(0, 10)): boolean {
  return article.reviewBy !== undefined && article.reviewBy < today;
}
