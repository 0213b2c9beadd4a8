import type { AnalyzedQuery } from '../analyze/analyzer.js';
import type { EngineHit, Scope } from '../engine/search-engine.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import type { Article, Section } from '../parse/article.js';
import type { SectionKind } from '../parse/section-kinds.js';
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
  const result = await kb.engine.search({
    terms: query.terms,
    prefixLast: params.prefix ?? true,
    scope: params.scope,
    filters: { product: params.product, category: params.category },
    limit: params.limit,
    offset: params.offset,
  });
  const terms = query.terms.filter((t) => t.origin !== 'gram').map((t) => t.term);
  const today = new Date().toISOString().slice(0, 10);
  const hits: SearchHit[] = [];
  const raw: EngineHit[] = [];
  for (const hit of result.hits) {
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
    query,
    hits,
    raw,
  };
}

export function findSection(article: Article, anchor: string, scope: Scope): Section | undefined {
  const section = article.sections.find((s) => s.anchor === anchor);
  if (!section || (scope === 'public' && (section.internal || !section.publicText.trim()))) return undefined;
  return section;
}

export function isStale(article: Article, today = new Date().toISOString().slice(0, 10)): boolean {
  return article.reviewBy !== undefined && article.reviewBy < today;
}
