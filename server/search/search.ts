import type { AnalyzedQuery } from '../analyze/analyzer.js';
import type { EngineHit, Scope } from '../engine/search-engine.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import type { SectionKind } from '../parse/article.js';
import { type Article, isPublicSection, type Section } from '../parse/article.js';
import { fold } from '../text/fold.js';
import { buildSnippet } from './snippet.js';

/** How many top articles are re-scored with whole-query evidence before paging. */
const RESCORE_WINDOW = 50;
/** Every typed word is in the title or a similar question: the article is about exactly this. */
const ALL_WORDS_BOOST = 1.25;
/** The typed words appear as one phrase in the title or a similar question. */
const PHRASE_BOOST = 1.15;

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
  /** Engine hits behind `hits`, same order: the answer stage reads matched terms from them. */
  raw: EngineHit[];
};

/**
 * Runs a query for one scope: analyze, search the engine (scope and filters
 * enforced inside the engine query), then dress each hit with its article and
 * a highlighted snippet of its best section, taken from the text that scope
 * may see.
 */
export async function searchKnowledgeBase(kb: KnowledgeBase, params: SearchParams): Promise<SearchOutcome> {
  const started = performance.now();
  const query = kb.analyzer.analyzeQuery(params.q);
  const window = Math.max(params.offset + params.limit, RESCORE_WINDOW);
  const result = await kb.engine.search({
    terms: query.terms,
    prefixLast: params.prefix ?? true,
    scope: params.scope,
    filters: { product: params.product, category: params.category },
    limit: window,
    offset: 0,
  });
  const typed = query.terms.filter((t) => t.origin === 'query').map((t) => t.term);
  const terms = query.terms.filter((t) => t.origin === 'query' || t.origin === 'synonym').map((t) => t.term);
  const today = new Date().toISOString().slice(0, 10);
  const ranked = rescore(result.hits, typed, (id) => kb.getArticle(id, params.scope));
  const hits: SearchHit[] = [];
  const raw: EngineHit[] = [];
  for (const hit of ranked.slice(params.offset, params.offset + params.limit)) {
    const article = kb.getArticle(hit.articleId, params.scope);
    const section = article && findSection(article, hit.section.anchor, params.scope);
    if (!article || !section) continue; // the engine is a step ahead of a reload: skip, never guess
    raw.push(hit);
    hits.push({
      id: article.id,
      title: article.title,
      product: article.product,
      category: article.category,
      score: Math.round(hit.score * 1000) / 1000,
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
    total: result.total,
    totalIsEstimate: result.totalIsEstimate,
    query,
    hits,
    raw,
  };
}

/**
 * Engines score words one by one; this adds what only the whole query shows:
 * an article whose title or similar questions hold every typed word (or the
 * typed words as one phrase) is about exactly this, ahead of scattered matches.
 * Engine-agnostic, applied to the top RESCORE_WINDOW articles before paging.
 */
function rescore(hits: EngineHit[], typed: string[], articleOf: (id: string) => Article | undefined): EngineHit[] {
  if (typed.length === 0) return hits;
  const phrase = typed.join('');
  return hits
    .map((hit) => {
      const article = articleOf(hit.articleId);
      if (!article) return hit;
      const surface = surfaceOf(article);
      let factor = typed.every((t) => surface.includes(t)) ? ALL_WORDS_BOOST : 1;
      if (typed.length > 1 && surface.includes(phrase)) factor *= PHRASE_BOOST;
      return factor === 1 ? hit : { ...hit, score: hit.score * factor };
    })
    .sort((a, b) => b.score - a.score);
}

/** Folded title and questions per article, computed once: articles are immutable, an edit makes a new one. */
const surfaces = new WeakMap<Article, string>();

function surfaceOf(article: Article): string {
  let surface = surfaces.get(article);
  if (surface === undefined) {
    surface = fold([article.title, ...article.questions].join('\n'));
    surfaces.set(article, surface);
  }
  return surface;
}

export function findSection(article: Article, anchor: string, scope: Scope): Section | undefined {
  const section = article.sections.find((s) => s.anchor === anchor);
  if (!section || (scope === 'public' && !isPublicSection(section))) return undefined;
  return section;
}

export function isStale(article: Article, today = new Date().toISOString().slice(0, 10)): boolean {
  return article.reviewBy !== undefined && article.reviewBy < today;
}
